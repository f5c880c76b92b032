#include "common/cli.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef POETRY_VERSION
#define POETRY_VERSION "unknown"
#endif

namespace poetry::cli {
namespace {

// A bare number among the positional arguments of a program that takes --port: the
// usual mistake of `fastpoetry 10002 poem.txt`. Empty when there is none.
std::string
bare_port(int argc, char** argv, const po::options_description& all)
{
    if (!all.find_nothrow("port", false))
        return {};
    for (int i = 1; i < argc; ++i)
    {
        const std::string_view arg = argv[i];
        if (arg == "--")
            continue;
        if (arg.starts_with("-") && arg.size() > 1)
        {
            // Skip an option's value given as the next argument ("--delay 0.5").
            const std::string_view name = arg.substr(arg.find_first_not_of('-'));
            const std::string key = arg.starts_with("--") ? std::string(name.substr(0, name.find('=')))
                                                          : "-" + std::string(name.substr(0, 1));
            const auto* option = all.find_nothrow(key, false);
            const bool value_inline =
                arg.find('=') != std::string_view::npos || (!arg.starts_with("--") && name.size() > 1);
            if (option && option->semantic()->max_tokens() > 0 && !value_inline)
                ++i;
            continue;
        }
        if (!arg.empty() && arg.size() <= 5 &&
            std::all_of(arg.begin(), arg.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::string(arg);
    }
    return {};
}

// Why writing standard output failed: a pipe whose reader has gone (`| head -3`) is said
// so, as errno is often lost by the time the stream reports its failure.
std::string
why_output_failed(int error)
{
    pollfd out{STDOUT_FILENO, POLLOUT, 0};
    struct stat status
    {};
    if (::fstat(STDOUT_FILENO, &status) == 0 && S_ISFIFO(status.st_mode) && ::poll(&out, 1, 0) == 1 &&
        (out.revents & POLLERR))
        return "it is a pipe whose reader has closed it (as `| head` does once it has its lines)";
    return error != 0 ? std::strerror(error) : "a write failed";
}

} // namespace

std::optional<po::variables_map>
parse(int argc, char** argv, const program_info& info, po::options_description& options,
      const po::options_description& hidden, const po::positional_options_description& positional)
{
    options.add_options()                     //
        ("help,h", "show this help and exit") //
        ("version", "show the version and exit");
    po::options_description all;
    all.add(options).add(hidden);

    po::variables_map values;
    try
    {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), values);
        if (values.count("help"))
        {
            // 100 columns: every option name fits its column, so that each description starts
            // on a line of its own or after two spaces, as help2man needs to read it.
            po::options_description shown("", 100, 50);
            shown.add(options);
            std::cout << "Usage: " << info.name << " " << info.synopsis << "\n\n"
                      << info.summary << "\n\n"
                      << shown << std::flush;
            return std::nullopt;
        }
        if (values.count("version"))
        {
            std::cout << info.name << " " << POETRY_VERSION << std::endl;
            return std::nullopt;
        }
        po::notify(values);
    }
    catch (const po::too_many_positional_options_error& e)
    {
        const std::string port = bare_port(argc, argv, all);
        throw usage_error(std::string(e.what()) + (port.empty() ? "" : ": did you mean --port " + port + "?"));
    }
    catch (const po::error& e)
    {
        throw usage_error(e.what());
    }
    return values;
}

int
run(std::string_view program, const std::function<int()>& body)
{
    const std::string name(program);
    try
    {
        const int status = body();
        // Output that could not be written (a full disk, a closed pipe) is a failure, not a success.
        std::cout.flush();
        errno = 0;
        if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout)
            throw std::runtime_error("cannot write standard output: " + why_output_failed(errno));
        return status;
    }
    catch (const usage_error& e)
    {
        std::cerr << name << ": " << e.what() << "\nTry '" << name << " --help' for more information." << std::endl;
        return exit_usage;
    }
    catch (const std::exception& e)
    {
        std::cerr << name << ": " << e.what() << std::endl;
        return exit_failure;
    }
}

namespace {

// Every refusal of a number says the same thing: "invalid --delay '-1': give seconds from 0 to 86400".
usage_error
bad_number(const std::string& text, std::string_view option, const std::string& expected)
{
    return usage_error("invalid " + std::string(option) + " '" + text + "': give " + expected);
}

// The whole text as a decimal number, or nothing: no sign but '-', no spaces, no "nan" or "inf".
std::optional<double>
parse_decimal(const std::string& text)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace

std::uint16_t
port_value(const std::string& text, std::string_view option)
{
    return static_cast<std::uint16_t>(count_value(text, option, 0, 65'535, "a port"));
}

std::uint64_t
count_value(const std::string& text, std::string_view option, std::uint64_t min, std::uint64_t max,
            std::string_view what)
{
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw bad_number(text, option,
                         std::string(what) + " from " + std::to_string(min) + " to " + std::to_string(max));
    return value;
}

clock::duration
seconds_value(const std::string& text, std::string_view option)
{
    // A day is far beyond any sensible pause and keeps the conversion exact.
    const auto seconds = parse_decimal(text);
    if (!seconds || *seconds < 0 || *seconds > 86'400)
        throw bad_number(text, option, "seconds from 0 to 86400");
    const auto value = std::chrono::round<clock::duration>(std::chrono::duration<double>(*seconds));
    // Zero means "never" for the timeouts: a positive value below the clock's tick is one tick.
    return *seconds > 0 ? std::max(value, clock::duration(1)) : value;
}

double
share_value(const std::string& text, std::string_view option)
{
    const auto share = parse_decimal(text);
    if (!share || *share < 0 || *share > 1)
        throw bad_number(text, option, "a share from 0 to 1");
    return *share;
}

} // namespace poetry::cli
