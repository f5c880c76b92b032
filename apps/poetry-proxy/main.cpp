// poetry-proxy: a poetry server that serves the poem of another one, fetched once and cached.
#include "common/cli.hpp"
#include "poetry/server/proxy.hpp"
#include "poetry/server/server.hpp"

namespace po = boost::program_options;
using namespace poetry;

namespace {

// The proxy holds its cached poem and one download at a time: a largest poem bounds both.
constexpr std::uint64_t default_max_poem = 64 * 1024 * 1024;
constexpr std::uint64_t largest_max_poem = 1024 * 1024 * 1024;

} // namespace

int
main(int argc, char** argv)
{
    return cli::run("poetry-proxy", [&] {
        const cli::program_info info{
            "poetry-proxy", "[options] SERVER_ADDR",
            "Serve the poem of the poetry server at SERVER_ADDR ([host:]port). The first client's\n"
            "connection starts the download; clients arriving meanwhile share it; afterwards the\n"
            "poem is served from the cache. If every waiting client leaves, the download is cancelled.\n"
            "Example: poetry-proxy --port 10004 10002"};
        cli::server_options server;
        std::string timeout = "30";
        std::string max_poem = std::to_string(default_max_poem);
        po::options_description options("Options");
        cli::add_server_options(options, server,
                                "each download, its cancellation, and each client served from the cache");
        options.add_options()                                                                //
            ("timeout", po::value(&timeout)->value_name("SECONDS")->default_value(timeout),  //
             "fail a download that makes no progress for this long; 0: wait forever")        //
            ("max-poem", po::value(&max_poem)->value_name("BYTES")->default_value(max_poem), //
             "largest poem to download and cache (at most 1073741824); a larger one fails the download");
        po::options_description hidden;
        hidden.add_options()("server", po::value<std::string>());
        po::positional_options_description positional;
        positional.add("server", 1);

        const auto values = cli::parse(argc, argv, info, options, hidden, positional);
        if (!values)
            return 0;
        if (!values->count("server"))
            throw cli::usage_error("missing SERVER_ADDR: name the poetry server to proxy");
        const auto& text = (*values)["server"].as<std::string>();
        error_code ec;
        const address upstream = parse_address(text, ec);
        if (ec || upstream.port == 0)
            throw cli::usage_error("invalid SERVER_ADDR '" + text +
                                   "': " + (ec ? ec.message() : "Ports must be integers from 1 to 65535"));

        fetch_options fetch;
        fetch.idle_timeout = cli::seconds_value(timeout, "--timeout");
        fetch.max_size = cli::count_value(max_poem, "--max-poem", 1, largest_max_poem);
        // A cache per event loop, owned by that loop's listener and handlers only, so that
        // its sockets die with the loop and never after it.
        serve(cli::prepare_server(server), "poems from " + to_string(upstream), [&](unsigned) {
            return listener::session_starter(
                [cache = std::make_shared<poem_cache>(upstream, fetch)](accepted_socket socket, connection_slot slot) {
                    cache->serve(std::move(socket).into_socket(), std::move(slot));
                });
        });
        return 0;
    });
}
