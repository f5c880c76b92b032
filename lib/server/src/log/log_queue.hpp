// The log's lines on their way to stderr, written by a thread of their own.
#pragma once

#include "poetry/io/asio.hpp"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace poetry::detail {

/** A bounded queue of log lines and the thread that writes them to a descriptor.

    A log's reader can stop reading (a pager, a terminal's XOFF, a stuck log
    shipper): a write to it then blocks. Here only the writer thread waits;
    the event loops append to the queue and go on. A line that does not fit
    is dropped and counted, and when the writer catches up it says how many
    went ("N log lines dropped"). Lines are written whole, in order, each
    batch in as few writes as it takes.
*/
class log_queue
{
public:
    /// What may wait to be written; a line that would pass it is dropped.
    static constexpr std::size_t capacity = 256 * 1024;

    /// How the writer words its note of dropped lines, as a whole line.
    using note_format = std::string (*)(std::string_view text);

    /// Lines for `fd`; the writer thread starts with the first line.
    log_queue(int fd, note_format format);

    /// Queue `line` (one or more whole lines, each ending in '\n'), or drop it.
    void push(std::string_view line);

    /// Wait until every queued line is written, at most `limit`: false if some are not.
    bool drain(clock::duration limit);

    /// Lines dropped so far (for tests and the note).
    std::size_t dropped() const;

private:
    void start_writer();
    void write_batches();

    const int fd_;
    const note_format format_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;    // lines to write
    std::condition_variable drained_; // nothing queued, nothing being written
    std::string queued_;
    std::size_t dropped_ = 0; // since the last note
    std::size_t dropped_total_ = 0;
    bool writing_ = false;
    bool started_ = false;
};

} // namespace poetry::detail
