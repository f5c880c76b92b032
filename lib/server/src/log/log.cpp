#include "poetry/server/log.hpp"

#include "log/log_queue.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include <unistd.h>

namespace poetry {
namespace {

// Never destroyed: the log's writer thread may word a note with it as the process exits.
std::string&
log_name()
{
    static auto* const name = new std::string;
    return *name;
}

// Set at start-up, read by every session (and every thread, once servers have several).
std::atomic<log_level> level{log_level::normal};

// "18:30:01.123": the local time of day, to the millisecond, so that a learner can line
// a server's events up with a client's.
std::string
time_of_day()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::snprintf(text, sizeof text, "%02d:%02d:%02d.%03d", local.tm_hour, local.tm_min, local.tm_sec,
                  static_cast<int>(millis));
    return text;
}

// "18:30:01.123 slowpoetry: TEXT\n"
std::string
format_line(std::string_view text)
{
    std::string line = time_of_day();
    const std::string& name = log_name();
    line.reserve(line.size() + name.size() + text.size() + 4);
    line.push_back(' ');
    if (!name.empty())
        line.append(name).append(": ");
    line.append(text).push_back('\n');
    return line;
}

detail::log_queue&
stderr_queue()
{
    // Never destroyed: its writer thread may still be writing as the process exits.
    static auto* const queue = new detail::log_queue(STDERR_FILENO, format_line);
    return *queue;
}

} // namespace

void
set_log_name(std::string_view program)
{
    log_name() = program;
}

void
set_log_level(log_level l)
{
    level.store(l, std::memory_order_relaxed);
}

bool
log_quiet()
{
    return level.load(std::memory_order_relaxed) == log_level::quiet;
}

bool
log_verbose()
{
    return level.load(std::memory_order_relaxed) == log_level::verbose;
}

void
log_line(std::string_view text)
{
    stderr_queue().push(format_line(text));
}

bool
log_drain(clock::duration limit)
{
    return stderr_queue().drain(limit);
}

} // namespace poetry
