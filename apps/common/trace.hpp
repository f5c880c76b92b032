// A client's timeline as CSV: one line per event, for poetry-timeline (scripts/timeline.sh) to draw.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/protocol/address.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace poetry {

/** Writes "seconds,task,address,event,bytes" lines to a file.

    The first line, "# COMMAND LINE", says what was run (timeline.sh puts it
    in the picture's title); the CSV header follows. Events: connect, bytes
    (with the count received), transform (the request goes out), done,
    failed (the download), transform-failed. Times are seconds since the
    trace was opened.
*/
class trace_log
{
public:
    /// Create (or truncate) `path` and write the command line and the header; throws
    /// std::runtime_error naming the file if it cannot.
    trace_log(const std::string& path, std::string_view command_line);

    void event(int task, const address& server, std::string_view what, std::size_t bytes = 0);

    /// Write out what is buffered and close; throws std::runtime_error naming the file if
    /// any line could not be written (a full disk), so that the run fails, not the trace.
    void close();

private:
    struct closer
    {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::string path_;
    std::unique_ptr<std::FILE, closer> file_;
    clock::time_point start_ = clock::now();
};

} // namespace poetry
