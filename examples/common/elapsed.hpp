// Durations printed as the tutorial's Python prints a datetime.timedelta: 0:00:10.126361.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace tutorial {

using clock = std::chrono::steady_clock;

/// str(timedelta): hours, then minutes and seconds of two digits, then microseconds
/// when there are any ("0:00:03", "0:00:10.126361").
inline std::string
timedelta_text(clock::duration elapsed)
{
    const long long micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    const long long seconds = micros / 1'000'000;
    char text[64];
    int length =
        std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60);
    if (micros % 1'000'000 != 0)
        std::snprintf(text + length, sizeof text - length, ".%06lld", micros % 1'000'000);
    return text;
}

} // namespace tutorial
