#include "common/server_main.hpp"

#include "common/resources.hpp"
#include "poetry/io/poem_file.hpp"
#include "poetry/server/log.hpp"

namespace poetry::cli {
namespace {

// Options every server takes.
struct server_options
{
    std::string port = "0";
    std::string iface = "localhost";
    bool quiet = false;
    bool verbose = false;
    std::string max_connections = "10000";
    std::string threads = "1";
};

void
add_server_options(po::options_description& options, server_options& values, const server_program& program)
{
    options.add_options()                                                                    //
        ("port", po::value(&values.port)->value_name("N")->default_value(values.port),       //
         "port to listen on; 0 lets the system choose a free one")                           //
        ("iface", po::value(&values.iface)->value_name("HOST")->default_value(values.iface), //
         "interface to listen on: an IPv4 or IPv6 address or a host name")                   //
        ("max-connections", po::value(&values.max_connections)->value_name("N")->default_value(values.max_connections),
         "connections served at once; more are accepted and reset at once")                 //
        ("quiet,q", po::bool_switch(&values.quiet), "do not log each connection on stderr") //
        ("verbose,v", po::bool_switch(&values.verbose), ("log every step too: " + program.verbose_steps).c_str());
    if (program.threads)
        options.add_options()("threads", po::value(&values.threads)->value_name("N")->default_value(values.threads),
                              "event loops, one per thread, each with its own listener on the port "
                              "(SO_REUSEPORT); --max-connections is shared among them");
}

// The server options checked, and the process made ready to serve.
server_config
prepare(const server_options& options)
{
    server_config config;
    const std::uint16_t port = port_value(options.port, "--port");
    config.threads = static_cast<unsigned>(count_value(options.threads, "--threads", 1, most_threads));
    config.max_connections = count_value(options.max_connections, "--max-connections", 1, most_connections);
    if (options.quiet && options.verbose)
        throw usage_error("--quiet and --verbose contradict each other: give one of them");

    error_code ec;
    config.endpoint = resolve_listen_endpoint(options.iface, port, ec);
    if (ec)
        throw runtime_failure("cannot use --iface '" + options.iface + "': " + ec.message());

    set_log_level(options.quiet ? log_level::quiet : options.verbose ? log_level::verbose : log_level::normal);
    raise_open_file_limit(); // every connection needs a descriptor
    return config;
}

// POEM_FILE's bytes; runtime_failure when it cannot be read.
shared_poem
read_poem(const std::string& path)
{
    error_code ec;
    auto poem = read_poem_file(path, ec);
    if (ec)
        throw runtime_failure("cannot read poem file '" + path + "': " + ec.message());
    return std::make_shared<const std::string>(std::move(poem));
}

} // namespace

int
run_server(int argc, char** argv, const server_program& program, const po::options_description& own,
           const std::function<int(server_command&)>& body)
{
    set_log_name(program.info.name);
    // Before any thread is made (a transform server's workers): the stop signals are
    // waited for by serve_until_signal, and no other thread may take them.
    block_stop_signals();
    const int status = run(program.info.name, [&] {
        server_options common;
        po::options_description options("Options");
        add_server_options(options, common, program);
        for (const auto& option : own.options())
            options.add(option);
        po::options_description hidden;
        po::positional_options_description positional;
        const auto& wanted = program.operand;
        if (!wanted.name.empty())
        {
            hidden.add_options()(wanted.name.c_str(), po::value<std::string>());
            positional.add(wanted.name.c_str(), 1);
        }

        const auto values = parse(argc, argv, program.info, options, hidden, positional);
        if (!values)
            return 0;
        std::string operand;
        if (!wanted.name.empty())
        {
            if (!values->count(wanted.name))
                throw usage_error(wanted.missing);
            operand = (*values)[wanted.name].as<std::string>();
        }
        server_command command{*values, prepare(common), operand, nullptr};
        if (wanted.name == poem_file.name)
            command.poem = read_poem(operand);
        return body(command);
    });
    // The last lines (who was cut off at a stop) are still queued; a log nobody reads keeps them.
    log_drain(std::chrono::seconds(1));
    return status;
}

} // namespace poetry::cli
