// Serving on several threads: every listener on one port, every thread serving.
#include "load.hpp"

#include "poetry/server_threads.hpp"
#include "poetry/sessions.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>

using namespace poetry;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(server_threads_suite)

BOOST_AUTO_TEST_CASE(two_threads_share_the_port_and_both_serve)
{
    const fast_server_config config{std::make_shared<const std::string>(653, 't'), 60s, {}};
    std::array<std::atomic<int>, 2> served{};
    error_code ec;
    std::string step;
    server_threads server(
        {asio::ip::make_address("127.0.0.1"), 0}, 2, {},
        [&](unsigned thread) -> listener::session_starter {
            return [&, thread](accepted_socket socket, connection_slot slot) {
                ++served.at(thread);
                start_fast_session(std::move(socket), std::move(slot), config);
            };
        },
        ec, step);
    BOOST_TEST_REQUIRE(!ec, step << ": " << ec.message());
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

BOOST_AUTO_TEST_CASE(a_port_in_use_names_the_failing_step)
{
    error_code ec;
    std::string step;
    asio::io_context ctx;
    tcp::acceptor taken(ctx, {asio::ip::make_address("127.0.0.1"), 0}); // no SO_REUSEPORT: not shareable
    server_threads server(taken.local_endpoint(), 2, {}, [](unsigned) { return listener::session_starter{}; }, ec,
                          step);
    BOOST_TEST((ec == boost::system::errc::address_in_use), ec.message());
    BOOST_TEST(step == "bind");
}

BOOST_AUTO_TEST_CASE(a_port_shared_by_another_servers_threads_is_in_use)
{
    // Another multi-threaded server holds the port with SO_REUSEPORT listeners: joining it
    // would let the kernel split the connections between two servers.
    const auto no_sessions = [](unsigned) { return listener::session_starter{}; };
    error_code ec;
    std::string step;
    server_threads first({asio::ip::make_address("127.0.0.1"), 0}, 2, {}, no_sessions, ec, step);
    BOOST_TEST_REQUIRE(!ec, step << ": " << ec.message());

    server_threads second(first.local_endpoint(), 2, {}, no_sessions, ec, step);
    BOOST_TEST((ec == boost::system::errc::address_in_use), ec.message());
    BOOST_TEST(step == "bind");

    server_threads single(first.local_endpoint(), 1, {}, no_sessions, ec, step);
    BOOST_TEST((ec == boost::system::errc::address_in_use), ec.message());
}

BOOST_AUTO_TEST_SUITE_END()
