#include "poetry/log.hpp"

#include <cstdio>
#include <string>

namespace poetry {
namespace {

std::string log_name;
bool quiet = false;

} // namespace

void
set_log_name(std::string_view program)
{
    log_name = program;
}

void
set_log_quiet(bool q)
{
    quiet = q;
}

bool
log_quiet()
{
    return quiet;
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
