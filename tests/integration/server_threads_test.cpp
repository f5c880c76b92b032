// Serving on several threads: every listener on one port, every thread serving.
#include "poetry-bench/load.hpp"

#include "poetry/server/server_threads.hpp"
#include "poetry/server/sessions.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <system_error>

using namespace poetry;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(server_threads_suite)

BOOST_AUTO_TEST_CASE(two_threads_share_the_port_and_both_serve)
{
    const fast_server_config config{std::make_shared<const std::string>(653, 't'), 60s, {}};
    std::array<std::atomic<int>, 2> served{};
    server_threads server({asio::ip::make_address("127.0.0.1"), 0}, 2, {},
                          [&](unsigned thread) -> listener::session_starter {
                              return [&, thread](accepted_socket socket, connection_slot slot) {
                                  ++served.at(thread);
                                  start_fast_session(std::move(socket), std::move(slot), config);
                              };
                          });
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
    BOOST_TEST(served[0] > 0);
    BOOST_TEST(served[1] > 0);
    BOOST_TEST(served[0] + served[1] == 400);
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
    const auto no_sessions = [](unsigned) { return listener::session_starter{}; };
    BOOST_CHECK_EXCEPTION(server_threads(taken.local_endpoint(), 2, {}, no_sessions), std::system_error,
                          is_bind_in_use);
    BOOST_CHECK_EXCEPTION(server_threads(taken.local_endpoint(), 1, {}, no_sessions), std::system_error,
                          is_bind_in_use);
}

BOOST_AUTO_TEST_CASE(a_port_shared_by_another_servers_threads_is_in_use)
{
    // Another multi-threaded server holds the port with SO_REUSEPORT listeners: joining it
    // would let the kernel split the connections between two servers.
    const auto no_sessions = [](unsigned) { return listener::session_starter{}; };
    server_threads first({asio::ip::make_address("127.0.0.1"), 0}, 2, {}, no_sessions);
    BOOST_CHECK_EXCEPTION(server_threads(first.local_endpoint(), 2, {}, no_sessions), std::system_error,
                          is_bind_in_use);
    BOOST_CHECK_EXCEPTION(server_threads(first.local_endpoint(), 1, {}, no_sessions), std::system_error,
                          is_bind_in_use);
}

BOOST_AUTO_TEST_SUITE_END()
