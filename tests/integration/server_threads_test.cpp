// Serving on several threads: every listener on one port, every thread serving.
#include "poetry-bench/load.hpp"

#include "poetry/server/server.hpp"

#include <boost/test/unit_test.hpp>

#include <system_error>
#include <thread>

using namespace poetry;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(server_threads_suite)

namespace {

// A fast server of `threads` threads on `endpoint`, set up as fastpoetry --threads sets up.
server_config
on_threads(const tcp::endpoint& endpoint, unsigned threads)
{
    server_config listening;
    listening.endpoint = endpoint;
    listening.threads = threads;
    return listening;
}

fast_server_config
short_poem()
{
    fast_server_config config;
    config.poem = std::make_shared<const std::string>(653, 't');
    return config;
}

const tcp::endpoint any_port{asio::ip::make_address("127.0.0.1"), 0};

} // namespace

BOOST_AUTO_TEST_CASE(two_threads_share_the_port_and_both_serve)
{
    const fast_server_config config = short_poem();
    server server(on_threads(any_port, 2), config);
    std::thread running([&] { server.run(); });

    load::load_plan plan;
    plan.server = server.local_endpoint();
    plan.in_flight = 16;
    plan.cycles = 400;
    plan.expected_reply = *config.poem;
    plan.time_limit = 20s;
    const auto result = load::run_load(plan, 2);

    server.stop();
    running.join();
    BOOST_TEST(result.completed == 400u);
    BOOST_TEST(result.errors == 0u);
    BOOST_TEST(result.mismatches == 0u);
    // The kernel spreads connections by their addresses: 400 all on one listener would be a fault.
    const auto served = server.accepted_per_thread();
    BOOST_TEST_REQUIRE(served.size() == 2u);
    BOOST_TEST(served[0] > 0u);
    BOOST_TEST(served[1] > 0u);
    BOOST_TEST(served[0] + served[1] == 400u);
}

// The failure a server's bind raises: "cannot bind HOST:PORT: Address already in use".
static bool
is_bind_in_use(const std::system_error& e)
{
    return e.code() == std::errc::address_in_use && std::string_view(e.what()).starts_with("cannot bind 127.0.0.1:");
}

BOOST_AUTO_TEST_CASE(a_port_in_use_names_the_failing_step)
{
    asio::io_context ctx;
    tcp::acceptor taken(ctx, {asio::ip::make_address("127.0.0.1"), 0}); // no SO_REUSEPORT: not shareable
    BOOST_CHECK_EXCEPTION(server(on_threads(taken.local_endpoint(), 2), short_poem()), std::system_error,
                          is_bind_in_use);
    BOOST_CHECK_EXCEPTION(server(on_threads(taken.local_endpoint(), 1), short_poem()), std::system_error,
                          is_bind_in_use);
}

BOOST_AUTO_TEST_CASE(a_port_shared_by_another_servers_threads_is_in_use)
{
    // Another multi-threaded server holds the port with SO_REUSEPORT listeners: joining it
    // would let the kernel split the connections between two servers.
    server first(on_threads(any_port, 2), short_poem());
    BOOST_CHECK_EXCEPTION(server(on_threads(first.local_endpoint(), 2), short_poem()), std::system_error,
                          is_bind_in_use);
    BOOST_CHECK_EXCEPTION(server(on_threads(first.local_endpoint(), 1), short_poem()), std::system_error,
                          is_bind_in_use);
}

BOOST_AUTO_TEST_SUITE_END()
