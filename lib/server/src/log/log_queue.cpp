#include "log/log_queue.hpp"

#include <cerrno>
#include <csignal>
#include <string>
#include <thread>
#include <utility>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

namespace poetry::detail {
namespace {

// Write `bytes` whole, waiting as long as the reader makes us. A reader that went away
// (EPIPE: SIGPIPE is blocked on this thread) or a failing descriptor loses the batch.
void
write_all(int fd, std::string_view bytes)
{
    while (!bytes.empty())
    {
        const auto n = ::write(fd, bytes.data(), bytes.size());
        if (n > 0)
            bytes.remove_prefix(static_cast<std::size_t>(n));
        else if (n < 0 && errno != EINTR)
            return;
    }
}

} // namespace

log_queue::log_queue(int fd, note_format format)
    : fd_(fd)
    , format_(format)
{
}

void
log_queue::push(std::string_view line)
{
    std::unique_lock lock(mutex_);
    // Once a line is dropped, the rest wait for the writer to take the batch: a
    // shorter line that still fits would be written before the note of the ones
    // dropped ahead of it.
    if (dropped_ > 0 || queued_.size() + line.size() > capacity)
    {
        ++dropped_;
        ++dropped_total_;
        return;
    }
    const bool was_empty = queued_.empty();
    queued_.append(line);
    if (!started_)
        start_writer();
    lock.unlock();
    if (was_empty)
        wake_.notify_one();
}

bool
log_queue::drain(clock::duration limit)
{
    std::unique_lock lock(mutex_);
    return drained_.wait_for(lock, limit, [this] { return queued_.empty() && dropped_ == 0 && !writing_; });
}

std::size_t
log_queue::dropped() const
{
    std::lock_guard lock(mutex_);
    return dropped_total_;
}

// With every signal blocked: the stop signals belong to the thread that waits for
// them, and SIGPIPE from a log whose reader left must not end the process.
void
log_queue::start_writer()
{
    started_ = true;
    sigset_t all, before;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &before);
    std::thread([this] { write_batches(); }).detach();
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

void
log_queue::write_batches()
{
    std::string batch;
    std::unique_lock lock(mutex_);
    for (;;)
    {
        wake_.wait(lock, [this] { return !queued_.empty() || dropped_ > 0; });
        batch.clear();
        batch.swap(queued_);
        // Every line dropped so far came after the ones queued: the note follows them.
        if (dropped_ > 0)
            batch += format_(std::to_string(std::exchange(dropped_, 0)) +
                             " log lines dropped here: the log was not read as fast as it was written");
        writing_ = true;
        lock.unlock();
        write_all(fd_, batch);
        lock.lock();
        writing_ = false;
        if (queued_.empty() && dropped_ == 0)
            drained_.notify_all();
    }
}

} // namespace poetry::detail
