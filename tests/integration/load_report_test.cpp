#include "poetry-bench/report.hpp"

#include <boost/test/unit_test.hpp>

#include <numeric>
#include <sstream>

using namespace poetry::load;

BOOST_AUTO_TEST_SUITE(load_report)

BOOST_AUTO_TEST_CASE(percentiles_are_nearest_rank)
{
    // 1..100 shuffled: p50 is 50, p99 is 99, max 100.
    std::vector<std::uint32_t> latencies(100);
    std::iota(latencies.begin(), latencies.end(), 1u);
    std::swap(latencies[3], latencies[97]);
    std::swap(latencies[10], latencies[60]);
    const auto summary = summarize_latencies(latencies);
    BOOST_TEST(summary.p50 == 50u);
    BOOST_TEST(summary.p99 == 99u);
    BOOST_TEST(summary.max == 100u);
}

BOOST_AUTO_TEST_CASE(one_latency_is_every_percentile_and_none_is_zero)
{
    const auto one = summarize_latencies({7});
    BOOST_TEST((one.p50 == 7u && one.p99 == 7u && one.max == 7u));
    const auto none = summarize_latencies({});
    BOOST_TEST((none.p50 == 0u && none.p99 == 0u && none.max == 0u));
}

BOOST_AUTO_TEST_CASE(report_ends_with_a_machine_readable_line)
{
    load_plan plan;
    plan.server = {boost::asio::ip::make_address("127.0.0.1"), 10000};
    load_result result;
    result.completed = 4;
    result.errors = 1;
    result.bytes = 4000;
    result.seconds = 2;
    result.latencies_us = {1000, 2000, 3000, 4000};
    result.error_kinds["read: Connection reset by peer"] = 1;
    std::ostringstream out;
    print_report(out, "fetch", plan, result, {0.5, 0.002});
    const std::string text = out.str();
    BOOST_TEST(text.find("1 x read: Connection reset by peer") != std::string::npos, text);
    const std::string last = text.substr(text.rfind("RESULT "));
    BOOST_TEST(last == "RESULT mode=fetch completed=4 errors=1 mismatches=0 seconds=2.000 rate=2 mbps=0.00 "
                       "p50_us=2000 p99_us=4000 max_us=4000 client_cpu_us=500.00 server_cpu_us=125000.00\n");
}

BOOST_AUTO_TEST_SUITE_END()
