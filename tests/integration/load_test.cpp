// poetry-bench's engine against the library's own servers.
#include "background_server.hpp"

#include "poetry-bench/load.hpp"

#include <boost/test/unit_test.hpp>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

const std::string poem = "A poem for the load generator,\nshort enough to arrive at once.\n";

load::load_plan
plan_for(std::uint16_t port, std::size_t in_flight, std::uint64_t cycles)
{
    load::load_plan plan;
    plan.server = {asio::ip::make_address("127.0.0.1"), port};
    plan.in_flight = in_flight;
    plan.cycles = cycles;
    plan.time_limit = 20s;
    return plan;
}

} // namespace

BOOST_AUTO_TEST_SUITE(load_generator)

BOOST_AUTO_TEST_CASE(fetch_counts_every_cycle_and_checks_every_byte)
{
    auto server = start_fast_server(poem);
    for (const unsigned threads : {1u, 2u})
    {
        BOOST_TEST_CONTEXT(threads << " thread(s)")
        {
            auto plan = plan_for(server->port(), 8, 300);
            plan.expected_reply = poem;
            const auto result = load::run_load(plan, threads);
            BOOST_TEST(result.completed == 300u);
            BOOST_TEST(result.errors == 0u);
            BOOST_TEST(result.mismatches == 0u);
            BOOST_TEST(result.bytes == 300u * poem.size());
            BOOST_TEST(result.latencies_us.size() == 300u);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_wrong_reply_is_a_mismatch)
{
    auto server = start_fast_server(poem);
    auto plan = plan_for(server->port(), 4, 50);
    plan.expected_reply = poem.substr(0, 10) + "X" + poem.substr(11);
    BOOST_TEST(load::run_load(plan).mismatches == 50u);

    plan.expected_reply.reset();
    plan.expected_size = poem.size() + 1;
    const auto result = load::run_load(plan);
    BOOST_TEST(result.mismatches == 50u);
    BOOST_TEST(result.completed == 50u);
}

BOOST_AUTO_TEST_CASE(refused_connections_are_errors_named_by_step)
{
    auto plan = plan_for(closed_port(), 4, 40);
    const auto result = load::run_load(plan);
    BOOST_TEST(result.completed == 0u);
    BOOST_TEST(result.errors == 40u);
    BOOST_TEST_REQUIRE(result.error_kinds.size() == 1u);
    BOOST_TEST(result.error_kinds.begin()->first.find("connect: ") == 0u, result.error_kinds.begin()->first);
}

BOOST_AUTO_TEST_CASE(hold_opens_every_connection_and_reads_each_to_the_end)
{
    // 300 clients of a slow server, opened 50 at a time: each gets the poem in 7 chunks.
    auto server = start_slow_server(poem, 10, 20ms);
    auto plan = plan_for(server->port(), 300, 0);
    plan.repeat = false;
    plan.connect_burst = 50;
    plan.expected_reply = poem;
    const auto result = load::run_load(plan);
    BOOST_TEST(result.completed == 300u);
    BOOST_TEST(result.errors == 0u);
    BOOST_TEST(result.mismatches == 0u);
    // Seven chunks with six pauses of 20 ms between them.
    BOOST_TEST(*std::min_element(result.latencies_us.begin(), result.latencies_us.end()) >= 120'000u);
}

BOOST_AUTO_TEST_CASE(xform_sends_the_request_and_checks_the_reply)
{
    auto server = start_transform_server();
    auto plan = plan_for(server->port(), 8, 200);
    plan.request = "19:cummingsify.ABC Def,";
    plan.expected_reply = "7:abc def,";
    const auto result = load::run_load(plan);
    BOOST_TEST(result.completed == 200u);
    BOOST_TEST(result.errors == 0u);
    BOOST_TEST(result.mismatches == 0u);
}

BOOST_AUTO_TEST_CASE(connections_past_the_time_limit_are_cut_off)
{
    auto server = start_hung_server();
    auto plan = plan_for(server->port(), 5, 0);
    plan.repeat = false;
    plan.time_limit = 200ms;
    const auto result = load::run_load(plan);
    BOOST_TEST(result.completed == 0u);
    BOOST_TEST(result.errors == 5u);
    BOOST_TEST(result.error_kinds.count("time limit: Connection timed out") == 1u);
    BOOST_TEST(result.seconds < 10.0);
}

BOOST_AUTO_TEST_CASE(a_timed_run_stops_starting_connections_at_its_end)
{
    auto server = start_fast_server(poem);
    auto plan = plan_for(server->port(), 4, 0);
    plan.duration = 300ms;
    const auto result = load::run_load(plan);
    BOOST_TEST(result.completed > 0u);
    BOOST_TEST(result.errors == 0u);
    BOOST_TEST(result.seconds >= 0.3);
    BOOST_TEST(result.seconds < 10.0);
}

BOOST_AUTO_TEST_SUITE_END()
