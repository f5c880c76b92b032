#include "cpu_usage.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

namespace poetry::load {

std::optional<double>
process_cpu_seconds(pid_t pid)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    const std::string stat{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const auto name_end = stat.rfind(')');
    if (name_end == std::string::npos)
        return std::nullopt;
    std::istringstream fields(stat.substr(name_end + 1));
    std::string skipped;
    for (int field = 3; field < 14; ++field) // fields 3 (state) to 13
        fields >> skipped;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    if (!(fields >> utime >> stime))
        return std::nullopt;
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::optional<double>
processes_cpu_seconds(const std::vector<pid_t>& pids)
{
    double total = 0;
    for (const pid_t pid : pids)
    {
        const auto seconds = process_cpu_seconds(pid);
        if (!seconds)
            return std::nullopt;
        total += *seconds;
    }
    return total;
}

double
own_cpu_seconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace poetry::load
