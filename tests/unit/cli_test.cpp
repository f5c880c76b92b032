#include "common/cli.hpp"
#include "common/client_settings.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace poetry;

namespace {

// Runs the client's parser on words as a shell would pass them.
std::optional<client_settings>
parse_client(std::vector<std::string> words)
{
    words.insert(words.begin(), "get-poetry-7");
    std::vector<char*> argv;
    for (auto& w : words)
        argv.push_back(w.data());
    return parse_client_command_line(static_cast<int>(argv.size()), argv.data(), "get-poetry-7", "test");
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_)

BOOST_AUTO_TEST_CASE(port_values)
{
    BOOST_TEST(cli::port_value("0", "--port") == 0);
    BOOST_TEST(cli::port_value("10001", "--port") == 10001);
    BOOST_CHECK_THROW(cli::port_value("70000", "--port"), cli::usage_error);
    BOOST_CHECK_THROW(cli::port_value("-5", "--port"), cli::usage_error);
    BOOST_CHECK_THROW(cli::port_value("ten", "--port"), cli::usage_error);
    try
    {
        cli::port_value("70000", "--port");
    }
    catch (const cli::usage_error& e)
    {
        BOOST_TEST(std::string(e.what()).find("'70000'") != std::string::npos, "names the bad value: " << e.what());
    }
}

BOOST_AUTO_TEST_CASE(seconds_values)
{
    BOOST_TEST(cli::seconds_value("0.7", "--delay").count() == std::chrono::nanoseconds(700'000'000).count());
    BOOST_TEST(cli::seconds_value("0", "--delay").count() == 0);
    BOOST_TEST((cli::seconds_value("0.01", "--delay") == std::chrono::milliseconds(10)));
    BOOST_TEST((cli::seconds_value("86400", "--delay") == std::chrono::hours(24)));
    // Below a nanosecond is still positive: zero would mean "no timeout" for the timeouts.
    BOOST_TEST(cli::seconds_value("0.0000000001", "--timeout").count() == 1);
    BOOST_TEST(cli::seconds_value("1e-300", "--timeout").count() == 1);
    BOOST_TEST(cli::seconds_value("0.0000000000", "--timeout").count() == 0);
    for (const std::string text : {"-1", "1e300", "86401", "abc", "", "nan", "inf", " 1", "1 ", "0.5s"})
    {
        BOOST_TEST_CONTEXT("'" << text << "'")
        {
            try
            {
                cli::seconds_value(text, "--delay");
                BOOST_ERROR("accepted");
            }
            catch (const cli::usage_error& e)
            {
                BOOST_TEST(std::string(e.what()) == "invalid --delay '" + text + "': give seconds from 0 to 86400");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(share_values)
{
    BOOST_TEST(cli::share_value("0.25", "--fail-rate") == 0.25);
    BOOST_TEST(cli::share_value("1", "--fail-rate") == 1.0);
    for (const std::string text : {"-0.1", "1.5", "abc", "", "nan"})
        BOOST_CHECK_THROW(cli::share_value(text, "--fail-rate"), cli::usage_error);
}

BOOST_AUTO_TEST_CASE(count_values)
{
    BOOST_TEST(cli::count_value("0", "--max-length", 0, 100) == 0u);
    BOOST_TEST(cli::count_value("100", "--max-length", 0, 100) == 100u);
    BOOST_TEST(cli::count_value("268435456", "--max-buffered", 1, 1ull << 40) == 268435456u);
    // Each refused as typed: program_options would have wrapped "-1" into a huge number.
    for (const std::string text : {"-1", "101", "", " 5", "5 ", "1e3", "abc", "+5", "99999999999999999999999"})
    {
        BOOST_TEST_CONTEXT("'" << text << "'")
        {
            try
            {
                cli::count_value(text, "--max-length", 0, 100);
                BOOST_ERROR("accepted");
            }
            catch (const cli::usage_error& e)
            {
                BOOST_TEST(std::string(e.what()) ==
                           "invalid --max-length '" + text + "': give a whole number from 0 to 100");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(client_addresses)
{
    const auto settings = parse_client({"10001", "10002", "example.org:10003", "[::1]:10004"});
    BOOST_TEST_REQUIRE(settings.has_value());
    BOOST_TEST((settings->transform_server == address{"127.0.0.1", 10001}));
    BOOST_TEST_REQUIRE(settings->poetry_servers.size() == 3u);
    BOOST_TEST((settings->poetry_servers[1] == address{"example.org", 10003}));
    BOOST_TEST((settings->poetry_servers[2] == address{"::1", 10004}));
    BOOST_TEST(settings->transform.value() == "cummingsify");
}

BOOST_AUTO_TEST_CASE(client_options)
{
    const auto settings = parse_client({"--timeout", "2.5", "--xform", "shout", "--verbose", "1", "2"});
    BOOST_TEST_REQUIRE(settings.has_value());
    BOOST_TEST(settings->transform.value() == "shout");
    BOOST_TEST(settings->verbose);
    BOOST_TEST((settings->fetch.idle_timeout == std::chrono::milliseconds(2500)));

    const auto plain = parse_client({"--no-xform", "10002"});
    BOOST_TEST_REQUIRE(plain.has_value());
    BOOST_TEST(!plain->transform.has_value());
    BOOST_TEST(plain->poetry_servers.size() == 1u);
}

BOOST_AUTO_TEST_CASE(client_usage_errors)
{
    BOOST_CHECK_THROW(parse_client({}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"10001"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"10001", "abc"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"10001", "0"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"10001", "::1:80"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"--timeout", "-1", "10001", "10002"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"--bogus", "10001", "10002"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"--no-xform", "--xform", "cummingsify", "10001", "10002"}), cli::usage_error);
    BOOST_CHECK_THROW(parse_client({"--xform", "", "10001", "10002"}), cli::usage_error);
    try
    {
        parse_client({"10001", "10002x"});
    }
    catch (const cli::usage_error& e)
    {
        BOOST_TEST(std::string(e.what()).find("Ports must be integers") != std::string::npos, e.what());
        BOOST_TEST(std::string(e.what()).find("'10002x'") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
