// The Part 17 programs' command line: --help, --version, and for some one duration in
// seconds. It is a header of their own, with nothing but the standard library, so that
// each program builds from this folder alone: g++ -std=c++20 gen-4.cpp -o gen-4.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#ifndef POETRY_VERSION
#define POETRY_VERSION "(built by hand)"
#endif

namespace inline_callbacks {

/// What --help says of a program.
struct program_info
{
    std::string name;     // "gen-1"
    std::string synopsis; // "[--delay SECONDS]"
    std::string summary;  // what it shows, a line or two
};

/// A wrong command line: the program says so and exits with status 2.
struct usage_error : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/// One option that takes seconds: --`name` SECONDS, or --`name`=SECONDS.
struct seconds_option
{
    std::string name;            // "delay"
    std::string default_seconds; // "5"
    std::string meaning;         // for --help
};

namespace detail {

// "0.5" as seconds, from 0 to a day; nothing for anything else ("1e3", "-1", "x").
inline std::optional<std::chrono::steady_clock::duration>
seconds_from(std::string_view text)
{
    double seconds = 0;
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), seconds, std::chars_format::fixed);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || seconds < 0 || seconds > 86'400)
        return std::nullopt;
    const auto value = std::chrono::round<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    return seconds > 0 ? std::max(value, std::chrono::steady_clock::duration(1)) : value;
}

inline void
print_help(const program_info& info, const std::optional<seconds_option>& option)
{
    std::cout << "Usage: " << info.name << (info.synopsis.empty() ? "" : " ") << info.synopsis << "\n\n"
              << info.summary << "\n\nOptions:\n";
    if (option)
        std::cout << "  --" << option->name << " SECONDS (=" << option->default_seconds << ")\n      "
                  << option->meaning << "\n";
    std::cout << "  -h [ --help ]\n      show this help and exit\n"
              << "  --version\n      show the version and exit\n";
}

} // namespace detail

/** Read the command line: nothing when --help or --version was answered, otherwise the
    option's seconds (its default when absent; zero when the program has no option).
    Throws usage_error for anything else.
*/
inline std::optional<std::chrono::steady_clock::duration>
parse_command_line(int argc, char** argv, const program_info& info, const std::optional<seconds_option>& option = {})
{
    std::string seconds = option ? option->default_seconds : "0";
    for (int i = 1; i < argc; ++i)
    {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h")
        {
            detail::print_help(info, option);
            return std::nullopt;
        }
        if (arg == "--version")
        {
            std::cout << info.name << " " << POETRY_VERSION << "\n";
            return std::nullopt;
        }
        const std::string flag = option ? "--" + option->name : std::string();
        if (option && arg == flag)
        {
            if (i + 1 == argc)
                throw usage_error("the option '" + flag + "' requires an argument");
            seconds = argv[++i];
        }
        else if (option && arg.starts_with(flag + "="))
            seconds = arg.substr(flag.size() + 1);
        else if (arg.starts_with("-"))
            throw usage_error("unrecognised option '" + std::string(arg) + "'");
        else
            throw usage_error("too many positional options have been specified on the command line");
    }
    const auto value = detail::seconds_from(seconds);
    if (!value)
        throw usage_error("invalid --" + option->name + " '" + seconds + "': give seconds from 0 to 86400");
    return value;
}

/// A program whose one option is --`name` SECONDS: how long its timers take, or nothing
/// when --help or --version was answered.
inline std::optional<std::chrono::steady_clock::duration>
duration_option(int argc, char** argv, const program_info& info, const std::string& name,
                const std::string& default_seconds, const std::string& meaning)
{
    return parse_command_line(argc, argv, info, seconds_option{name, default_seconds, meaning});
}

/// A program without options: false when --help or --version was answered.
inline bool
no_options(int argc, char** argv, const program_info& info)
{
    return parse_command_line(argc, argv, info).has_value();
}

/// Run a program's body: a wrong command line exits 2, a failure 1, and output that
/// could not be written (a full disk, a closed pipe) is a failure too.
inline int
run(const std::string& name, const std::function<int()>& body)
{
    try
    {
        const int status = body();
        std::cout.flush();
        if (!std::cout || std::fflush(stdout) != 0)
            throw std::runtime_error("cannot write standard output");
        return status;
    }
    catch (const usage_error& e)
    {
        std::cerr << name << ": " << e.what() << "\nTry '" << name << " --help' for more information." << std::endl;
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << name << ": " << e.what() << std::endl;
        return 1;
    }
}

} // namespace inline_callbacks
