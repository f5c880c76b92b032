// The tutorial programs' command line: --help, --version, options that take a value
// (seconds, a file), and for the clients their server addresses. It needs nothing but the
// standard library, so that each program builds from the examples folder alone:
// g++ -std=c++20 gen-4.cpp -o gen-4.
#pragma once

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifndef POETRY_VERSION
#define POETRY_VERSION "(built by hand)"
#endif

namespace tutorial {

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

/// One option that takes a value: --`name` VALUE, or --`name`=VALUE. A value named
/// SECONDS must be seconds from 0 to a day; any other is taken as it is written.
struct option
{
    std::string name;          // "delay"
    std::string value_name;    // "SECONDS", "FILE"
    std::string default_value; // "5"; "" for none
    std::string meaning;       // for --help
};

/// What the command line said: each option's value (its default when absent) and the
/// arguments that are not options, in order.
struct command_line
{
    std::map<std::string, std::string> values;
    std::vector<std::string> arguments;

    const std::string& text(const std::string& name) const { return values.at(name); }
    std::chrono::steady_clock::duration seconds(const std::string& name) const;
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
print_help(const program_info& info, const std::vector<option>& options)
{
    std::cout << "Usage: " << info.name << (info.synopsis.empty() ? "" : " ") << info.synopsis << "\n\n"
              << info.summary << "\n\nOptions:\n";
    for (const auto& o : options)
        std::cout << "  --" << o.name << " " << o.value_name
                  << (o.default_value.empty() ? "" : " (=" + o.default_value + ")") << "\n      " << o.meaning << "\n";
    std::cout << "  -h [ --help ]\n      show this help and exit\n"
              << "  --version\n      show the version and exit\n";
}

} // namespace detail

inline std::chrono::steady_clock::duration
command_line::seconds(const std::string& name) const
{
    const auto value = detail::seconds_from(text(name));
    if (!value)
        throw usage_error("invalid --" + name + " '" + text(name) + "': give seconds from 0 to 86400");
    return *value;
}

/// For read_command_line: a program that takes as many arguments as it is given.
inline constexpr std::size_t any_number = static_cast<std::size_t>(-1);

/** Read the command line: nothing when --help or --version was answered. At most
    `most_arguments` arguments that are not options. Throws usage_error for anything else.
*/
inline std::optional<command_line>
read_command_line(int argc, char** argv, const program_info& info, const std::vector<option>& options,
                  std::size_t most_arguments = 0)
{
    command_line read;
    for (const auto& o : options)
        read.values[o.name] = o.default_value;
    for (int i = 1; i < argc; ++i)
    {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h")
        {
            detail::print_help(info, options);
            return std::nullopt;
        }
        if (arg == "--version")
        {
            std::cout << info.name << " " << POETRY_VERSION << "\n";
            return std::nullopt;
        }
        if (arg.starts_with("-") && arg != "-")
        {
            const auto known = std::find_if(options.begin(), options.end(), [&](const option& o) {
                const std::string flag = "--" + o.name;
                return arg == flag || arg.starts_with(flag + "=");
            });
            if (known == options.end())
                throw usage_error("unrecognised option '" + std::string(arg) + "'");
            const std::string flag = "--" + known->name;
            if (arg != flag)
                read.values[known->name] = arg.substr(flag.size() + 1);
            else if (i + 1 == argc)
                throw usage_error("the option '" + flag + "' requires an argument");
            else
                read.values[known->name] = argv[++i];
            continue;
        }
        if (read.arguments.size() == most_arguments)
            throw usage_error("too many positional options have been specified on the command line");
        read.arguments.emplace_back(arg);
    }
    for (const auto& o : options) // a wrong number of seconds is said now, not when it is used
        if (o.value_name == "SECONDS")
            read.seconds(o.name);
    return read;
}

/// A program whose one option is --`name` SECONDS: how long its timers take, or nothing
/// when --help or --version was answered.
inline std::optional<std::chrono::steady_clock::duration>
duration_option(int argc, char** argv, const program_info& info, const std::string& name,
                const std::string& default_seconds, const std::string& meaning)
{
    const auto read = read_command_line(argc, argv, info, {{name, "SECONDS", default_seconds, meaning}});
    if (!read)
        return std::nullopt;
    return read->seconds(name);
}

/// A program without options: false when --help or --version was answered.
inline bool
no_options(int argc, char** argv, const program_info& info)
{
    return read_command_line(argc, argv, info, {}).has_value();
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

} // namespace tutorial
