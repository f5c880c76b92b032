#include "poetry/log.hpp"

#include <atomic>
#include <cstdio>
#include <string>

namespace poetry {
namespace {

std::string log_name;
// Set at start-up, read by every session (and every thread, once servers have several).
std::atomic<bool> quiet{false};

} // namespace

void
set_log_name(std::string_view program)
{
    log_name = program;
}

void
set_log_quiet(bool q)
{
    quiet.store(q, std::memory_order_relaxed);
}

bool
log_quiet()
{
    return quiet.load(std::memory_order_relaxed);
}

void
log_line(std::string_view text)
{
    std::string line;
    line.reserve(log_name.size() + text.size() + 3);
    if (!log_name.empty())
        line.append(log_name).append(": ");
    line.append(text).push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace poetry
