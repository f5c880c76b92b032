// What a client says about one poem's task as it goes: on stderr, in the trace, and
// with --verbose. One reporter per task, bound to it.
#pragma once

#include "common/client_settings.hpp"

#include <memory>

namespace poetry {

class task_report
{
public:
    task_report(const client_settings& settings, poem_task task);

    const poem_task& task() const noexcept { return task_; }

    /// The download's options: the connection and the bytes as they arrive are counted,
    /// traced and, with --verbose, reported. They refer to the settings, which must
    /// outlive the download.
    fetch_options download_options() const;

    /// The transform's options: with --verbose, the connection is reported.
    poetry::transform_options transform_request_options() const;

    /// "The poem download failed: 127.0.0.1:10002: Connection refused" on stderr, the
    /// reason in words: "could not connect within 30 s", "connected, but nothing arrived
    /// for 30 s (after 120 bytes)".
    void download_failed(error_code ec) const;

    /// With --verbose, how many bytes the poem had when its server closed.
    void poem_received(std::size_t bytes) const;

    /// The transform request is about to go out (a trace event).
    void transform_started() const;

    /// The original's "Cummingsify failed!", naming both servers and why: "Cummingsify
    /// failed for the poem from 127.0.0.1:10003: transform server 127.0.0.1:10001:
    /// Connection refused". The original poem is printed instead.
    void transform_failed(error_code ec) const;

    /// The task's poem is finished, transformed or not (a trace event).
    void done() const;

private:
    struct progress;

    const client_settings& settings_;
    poem_task task_;
    std::shared_ptr<progress> progress_; // shared with the download's callbacks
};

} // namespace poetry
