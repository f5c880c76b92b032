// The server programs themselves: start-up line, service, signals, usage errors.
#include "child_process.hpp"
#include "raw_client.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <iterator>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// Run a program to its end; returns its exit status and stderr.
std::pair<int, std::string>
run_to_exit(std::vector<std::string> argv)
{
    child_process child(std::move(argv));
    child.read_all(10s);
    const int status = child.wait(10s);
    BOOST_TEST_REQUIRE(status != child_process::still_running, "did not exit");
    return {status, child.error_text()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(servers_e2e)

BOOST_AUTO_TEST_CASE(fastpoetry_serves_and_stops_on_sigterm)
{
    const auto poem = poem_path("harbour-lights.txt");
    auto server = start_server_process({program_path("fastpoetry"), poem});
    raw_client client(server.port);
    const auto got = client.read_to_eof(10s);
    BOOST_TEST(got.eof);
    BOOST_TEST(got.data == file_text(poem));
    BOOST_TEST(got.data.size() == 653u);

    server.process->send_signal(SIGTERM);
    BOOST_TEST(server.process->wait(5s) == 0);
    BOOST_TEST(server.process->error_text().find("sent 653 bytes") != std::string::npos,
               server.process->error_text());
}

BOOST_AUTO_TEST_CASE(slowpoetry_serves_and_stops_on_sigint_mid_poem)
{
    const auto poem = poem_path("travellers-alphabet.txt");
    auto server = start_server_process(
        {program_path("slowpoetry"), "--num-bytes", "50", "--delay", "0.01", "--quiet", poem});
    raw_client client(server.port);
    BOOST_TEST(client.read_to_eof(10s).data == file_text(poem));

    raw_client pending(server.port);
    BOOST_TEST(pending.read_at_least(1, 5s).data.size() >= 1u);
    server.process->send_signal(SIGINT);
    BOOST_TEST(server.process->wait(5s) == 0);
    BOOST_TEST(pending.read_to_eof(5s).timed_out == false); // its connection was closed
    BOOST_TEST(server.process->error_text().empty(), "--quiet logs nothing: " << server.process->error_text());
}

BOOST_AUTO_TEST_CASE(startup_line_names_file_and_address)
{
    const auto poem = poem_path("small-hours.txt");
    child_process child({program_path("fastpoetry"), "--iface", "127.0.0.1", poem});
    const auto line = child.read_line(10s);
    BOOST_TEST_REQUIRE(line.has_value());
    BOOST_TEST(line->rfind("Serving " + poem + " on 127.0.0.1:", 0) == 0u, *line);
}

BOOST_AUTO_TEST_CASE(ipv6_interface)
{
    auto server = start_server_process({program_path("fastpoetry"), "--iface", "::1", poem_path("small-hours.txt")});
    raw_client client(server.port, "::1");
    BOOST_TEST(client.read_to_eof(10s).data == file_text(poem_path("small-hours.txt")));
}

BOOST_AUTO_TEST_CASE(transformedpoetry_answers_nc)
{
    auto server = start_server_process({program_path("transformedpoetry")});
    child_process nc({"/bin/sh", "-c",
                      "printf '27:cummingsify.HERE IS MY POEM,' | nc -q1 127.0.0.1 " + std::to_string(server.port)});
    BOOST_TEST(nc.read_all(10s) == "15:here is my poem,");
    BOOST_TEST(nc.wait(10s) == 0);
}

BOOST_AUTO_TEST_CASE(poetry_proxy_serves_and_caches)
{
    const auto poem = poem_path("harbour-lights.txt");
    auto upstream = start_server_process({program_path("fastpoetry"), poem});
    auto proxy = start_server_process({program_path("poetry-proxy"), std::to_string(upstream.port)});
    for (int i = 0; i < 3; ++i)
    {
        raw_client client(proxy.port);
        BOOST_TEST(client.read_to_eof(10s).data == file_text(poem));
    }
    proxy.process->send_signal(SIGTERM);
    BOOST_TEST(proxy.process->wait(5s) == 0);
    const std::string log = proxy.process->error_text();
    BOOST_TEST(log.find("Fetching poem from 127.0.0.1:" + std::to_string(upstream.port)) != std::string::npos, log);
    std::size_t cached = 0;
    for (auto at = log.find("Using cached poem."); at != std::string::npos; at = log.find("Using cached poem.", at + 1))
        ++cached;
    BOOST_TEST(cached == 2u, log);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_and_name_the_value)
{
    const auto poem = poem_path("small-hours.txt");
    struct case_
    {
        const char* name;
        std::vector<std::string> argv;
        std::string named; // stderr must contain this
    };
    const std::vector<case_> cases{
        {"negative delay", {program_path("slowpoetry"), "--delay", "-1", poem}, "-1"},
        {"zero bytes", {program_path("slowpoetry"), "--num-bytes", "0", poem}, "'0'"},
        {"port out of range", {program_path("fastpoetry"), "--port", "70000", poem}, "'70000'"},
        {"port not a number", {program_path("fastpoetry"), "--port", "http", poem}, "'http'"},
        {"missing poem file argument", {program_path("fastpoetry")}, "POEM_FILE"},
        {"poem file does not exist", {program_path("fastpoetry"), "/no/such/poem.txt"}, "/no/such/poem.txt"},
        {"poem file is a directory", {program_path("slowpoetry"), "/tmp"}, "/tmp"},
        {"two poem files", {program_path("fastpoetry"), poem, poem}, "too many"},
        {"unknown option", {program_path("transformedpoetry"), "--bogus"}, "--bogus"},
        {"proxy without server", {program_path("poetry-proxy")}, "SERVER_ADDR"},
        {"proxy with a bad port", {program_path("poetry-proxy"), "localhost:http"}, "'localhost:http'"},
        {"fail rate above one", {program_path("transformedpoetry"), "--fail-rate", "1.5"}, "'1.5'"},
        {"unknown interface", {program_path("fastpoetry"), "--iface", "no-such-host.invalid", poem},
         "no-such-host.invalid"},
    };
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            const auto [status, errors] = run_to_exit(tc.argv);
            BOOST_TEST(status == 2);
            BOOST_TEST(errors.find(tc.named) != std::string::npos, errors);
        }
    }
}

BOOST_AUTO_TEST_CASE(address_in_use_exits_1)
{
    auto first = start_server_process({program_path("transformedpoetry")});
    const auto [status, errors] = run_to_exit({program_path("transformedpoetry"), "--port", std::to_string(first.port)});
    BOOST_TEST(status == 1);
    BOOST_TEST(errors.find(std::to_string(first.port)) != std::string::npos, errors);
}

BOOST_AUTO_TEST_CASE(help_and_version_exit_0)
{
    for (const char* program :
         {"fastpoetry", "slowpoetry", "transformedpoetry", "get-poetry-6", "get-poetry-7", "get-poetry-8",
          "poetry-proxy"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            child_process help({program_path(program), "--help"});
            BOOST_TEST(help.read_all(10s).find("Usage: " + std::string(program)) != std::string::npos);
            BOOST_TEST(help.wait(10s) == 0);
            child_process version({program_path(program), "--version"});
            BOOST_TEST(version.read_all(10s).find(program) != std::string::npos);
            BOOST_TEST(version.wait(10s) == 0);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
