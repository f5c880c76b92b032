// poetry-proxy: a poetry server that serves the poem of another one, fetched once and cached.
#include "common/server_main.hpp"

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
    const cli::server_program program{
        .info = {"poetry-proxy", "[options] SERVER_ADDR",
                 "Serve the poem of the poetry server at SERVER_ADDR ([host:]port). The first client's\n"
                 "connection starts the download; clients arriving meanwhile share it; afterwards the\n"
                 "poem is served from the cache. If every waiting client leaves, the download is cancelled.\n"
                 "Example: poetry-proxy --port 10004 10002"},
        .verbose_steps = "each download, its cancellation, and each client served from the cache",
        .threads = false,
        .operand = {"server", "missing SERVER_ADDR: name the poetry server to proxy"}};
    std::string timeout = "30";
    std::string download_timeout = "300";
    std::string max_poem = std::to_string(default_max_poem);
    po::options_description own;
    own.add_options()                                                                   //
        ("timeout", po::value(&timeout)->value_name("SECONDS")->default_value(timeout), //
         "fail a download that makes no progress for this long; 0: wait forever")       //
        ("download-timeout", po::value(&download_timeout)->value_name("SECONDS")->default_value(download_timeout),
         "fail a download not complete this long after it started, however steadily its bytes "
         "trickle in; its waiting clients are reset; 0: never")                          //
        ("max-poem", po::value(&max_poem)->value_name("BYTES")->default_value(max_poem), //
         "largest poem to download and cache (at most 1073741824); a larger one fails the download");

    return cli::run_server(argc, argv, program, own, [&](cli::server_command& command) {
        proxy_server_config config;
        error_code ec;
        config.upstream = parse_address(command.operand, ec);
        if (ec || config.upstream.port == 0)
            throw cli::usage_error("invalid SERVER_ADDR '" + command.operand +
                                   "': " + (ec ? ec.message() : "Ports must be integers from 1 to 65535"));
        config.fetch.idle_timeout = cli::seconds_value(timeout, "--timeout");
        config.download_timeout = cli::seconds_value(download_timeout, "--download-timeout");
        config.fetch.max_size = cli::count_value(max_poem, "--max-poem", 1, largest_max_poem);
        const std::string what = "poems from " + to_string(config.upstream);
        return cli::serve(command, std::move(config), what);
    });
}
