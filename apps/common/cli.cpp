#include "common/cli.hpp"

#include "common/resources.hpp"
#include "poetry/protocol/address.hpp"
#include "poetry/protocol/poem_file.hpp"
#include "poetry/server/log.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#ifndef POETRY_VERSION
#define POETRY_VERSION "unknown"
#endif

namespace poetry::cli {

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
    set_log_name(name);
    try
    {
        const int status = body();
        // Output that could not be written (a full disk, a closed pipe) is a failure, not a success.
        std::cout.flush();
        errno = 0;
        if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout)
            throw std::runtime_error(std::string("cannot write standard output: ") +
                                     (errno != 0 ? std::strerror(errno) : "a write failed"));
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
    return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(*seconds));
}

double
share_value(const std::string& text, std::string_view option)
{
    const auto share = parse_decimal(text);
    if (!share || *share < 0 || *share > 1)
        throw bad_number(text, option, "a share from 0 to 1");
    return *share;
}

void
add_server_options(po::options_description& options, server_options& values, const std::string& verbose_steps)
{
    options.add_options()                                                                    //
        ("port", po::value(&values.port)->value_name("N")->default_value(values.port),       //
         "port to listen on; 0 lets the system choose a free one")                           //
        ("iface", po::value(&values.iface)->value_name("HOST")->default_value(values.iface), //
         "interface to listen on: an IPv4 or IPv6 address or a host name")                   //
        ("max-connections", po::value(&values.max_connections)->value_name("N")->default_value(values.max_connections),
         "connections served at once; more are accepted and reset at once")                 //
        ("quiet,q", po::bool_switch(&values.quiet), "do not log each connection on stderr") //
        ("verbose,v", po::bool_switch(&values.verbose), ("log every step too: " + verbose_steps).c_str());
}

void
add_threads_option(po::options_description& options, server_options& values)
{
    options.add_options()("threads", po::value(&values.threads)->value_name("N")->default_value(values.threads),
                          "event loops, one per thread, each with its own listener on the port "
                          "(SO_REUSEPORT); --max-connections is shared among them");
}

server_config
prepare_server(const server_options& options, listener_options tuning)
{
    server_config config;
    const std::uint16_t port = port_value(options.port, "--port");
    config.threads = static_cast<unsigned>(count_value(options.threads, "--threads", 1, max_threads));
    tuning.max_connections = count_value(options.max_connections, "--max-connections", 1, max_connections);
    config.listening = tuning;
    if (options.quiet && options.verbose)
        throw usage_error("--quiet and --verbose contradict each other: give one of them");

    error_code ec;
    config.endpoint = resolve_listen_endpoint(options.iface, port, ec);
    if (ec)
        throw runtime_failure("cannot use --iface '" + options.iface + "': " + ec.message());

    set_log_level(options.quiet ? log_level::quiet : options.verbose ? log_level::verbose : log_level::normal);
    // A write to a closed peer must be an error code, never a fatal signal.
    std::signal(SIGPIPE, SIG_IGN);
    raise_open_file_limit();
    return config;
}

} // namespace poetry::cli

namespace poetry::cli {

std::shared_ptr<const std::string>
poem_argument(const po::variables_map& values)
{
    if (!values.count("poem-file"))
        throw usage_error("missing POEM_FILE: name the file of the poem to serve");
    const auto& path = values["poem-file"].as<std::string>();
    error_code ec;
    auto poem = read_poem_file(path, ec);
    if (ec)
        throw runtime_failure("cannot read poem file '" + path + "': " + ec.message());
    return std::make_shared<const std::string>(std::move(poem));
}

void
add_poem_argument(po::options_description& hidden, po::positional_options_description& positional)
{
    hidden.add_options()("poem-file", po::value<std::string>(), "the poem to serve");
    positional.add("poem-file", 1);
}

} // namespace poetry::cli
