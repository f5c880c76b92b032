// CPU time used by other processes (the server under load) and by this one.
#pragma once

#include <optional>
#include <sys/types.h>
#include <vector>

namespace poetry::load {

/// utime + stime of every thread of `pid`, in seconds, from /proc/PID/stat; nothing if it is gone.
std::optional<double> process_cpu_seconds(pid_t pid);

/// The sum over `pids`; nothing if any is gone.
std::optional<double> processes_cpu_seconds(const std::vector<pid_t>& pids);

/// This process's own user + system time, in seconds.
double own_cpu_seconds();

} // namespace poetry::load
