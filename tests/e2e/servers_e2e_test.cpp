// The server programs themselves: start-up line, service, signals, usage errors.
#include "child_process.hpp"
#include "raw_client.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

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
    BOOST_TEST(server.process->error_text().find("sent 653 bytes") != std::string::npos, server.process->error_text());
}

BOOST_AUTO_TEST_CASE(slowpoetry_serves_and_stops_on_sigint_mid_poem)
{
    const auto poem = poem_path("travellers-alphabet.txt");
    auto server =
        start_server_process({program_path("slowpoetry"), "--num-bytes", "50", "--delay", "0.01", "--quiet", poem});
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
    auto proxy = start_server_process({program_path("poetry-proxy"), "--verbose", std::to_string(upstream.port)});
    for (int i = 0; i < 3; ++i)
    {
        raw_client client(proxy.port);
        BOOST_TEST(client.read_to_eof(10s).data == file_text(poem));
    }
    proxy.process->send_signal(SIGTERM);
    BOOST_TEST(proxy.process->wait(5s) == 0);
    const std::string log = proxy.process->error_text();
    // --verbose: the original proxy's steps, in its words.
    BOOST_TEST(log.find("Fetching poem from server.") != std::string::npos, log);
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
        {"two poem files", {program_path("fastpoetry"), poem, poem}, "too many"},
        {"a bare port", {program_path("fastpoetry"), "10012", poem}, "did you mean --port 10012?"},
        {"a bare port alone", {program_path("transformedpoetry"), "10011"}, "did you mean --port 10011?"},
        {"a bare port after an option's value",
         {program_path("slowpoetry"), "--num-bytes", "60", "10013", poem},
         "did you mean --port 10013?"},
        {"unknown option", {program_path("transformedpoetry"), "--bogus"}, "--bogus"},
        {"proxy without server", {program_path("poetry-proxy")}, "SERVER_ADDR"},
        {"proxy with a bad port", {program_path("poetry-proxy"), "localhost:http"}, "'localhost:http'"},
        {"fail rate above one", {program_path("transformedpoetry"), "--fail-rate", "1.5"}, "'1.5'"},
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

BOOST_AUTO_TEST_CASE(what_the_world_refuses_exits_1)
{
    // The command line is right; the file system or the resolver says no.
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{program_path("fastpoetry"), "/no/such/poem.txt"}, "cannot read poem file '/no/such/poem.txt'"},
        {{program_path("slowpoetry"), "/tmp"}, "cannot read poem file '/tmp'"},
        {{program_path("fastpoetry"), "--iface", "no-such-host.invalid", poem_path("small-hours.txt")},
         "cannot use --iface 'no-such-host.invalid'"},
        {{program_path("get-poetry-7"), "--trace", "/no/such/dir/run.csv", "10001", "10002"}, "/no/such/dir/run.csv"},
    };
    for (const auto& [argv, named] : cases)
    {
        BOOST_TEST_CONTEXT(named)
        {
            const auto [status, errors] = run_to_exit(argv);
            BOOST_TEST(status == 1);
            BOOST_TEST(errors.find(named) != std::string::npos, errors);
        }
    }
}

BOOST_AUTO_TEST_CASE(address_in_use_exits_1)
{
    auto first = start_server_process({program_path("transformedpoetry")});
    const auto [status, errors] =
        run_to_exit({program_path("transformedpoetry"), "--port", std::to_string(first.port)});
    BOOST_TEST(status == 1);
    BOOST_TEST(errors.find(std::to_string(first.port)) != std::string::npos, errors);
}

BOOST_AUTO_TEST_CASE(help_and_version_exit_0)
{
    for (const char* program : {"fastpoetry", "slowpoetry", "transformedpoetry", "get-poetry-6", "get-poetry-7",
                                "get-poetry-8", "poetry-proxy"})
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

BOOST_AUTO_TEST_CASE(each_server_says_what_its_own_verbose_adds)
{
    const std::vector<std::pair<std::string, std::string>> servers{
        {"fastpoetry", "each client's poem as it starts"},
        {"transformedpoetry", "what each request asks for"},
        {"slowpoetry", "each chunk as it is sent"},
        {"poetry-proxy", "each download"},
    };
    for (const auto& [program, says] : servers)
    {
        BOOST_TEST_CONTEXT(program)
        {
            child_process help({program_path(program), "--help"});
            // The help wraps its lines: read it as one line of single spaces.
            std::string text;
            for (const char c : help.read_all(10s))
                if (!std::isspace(static_cast<unsigned char>(c)) || (!text.empty() && text.back() != ' '))
                    text += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
            BOOST_TEST(help.wait(10s) == 0);
            BOOST_TEST(text.find(says) != std::string::npos, text);
            // Not another server's steps.
            BOOST_TEST((program == "slowpoetry" || text.find("chunk as it is sent") == std::string::npos), text);
            BOOST_TEST((program == "poetry-proxy" || text.find("each download") == std::string::npos), text);
        }
    }
}

BOOST_AUTO_TEST_CASE(transformedpoetry_lists_its_transforms)
{
    child_process list({program_path("transformedpoetry"), "--list"});
    const auto out = list.read_all(10s);
    BOOST_TEST(list.wait(10s) == 0);
    BOOST_TEST(out.starts_with("cummingsify  "), out);
}

BOOST_AUTO_TEST_CASE(unknown_transform_is_named_in_the_log)
{
    auto server = start_server_process({program_path("transformedpoetry")});
    for (const std::string request : {"10:shout.POEM,", "21:sh\nout\x1b[31m.POEM HERE,"})
    {
        raw_client client(server.port);
        client.send(request);
        BOOST_TEST(client.read_to_eof(10s).data.empty());
    }
    BOOST_TEST(server.process->wait_for_error_text("refused: unknown transform 'shout'", 10s),
               server.process->error_text());
    // A name from the network cannot break or colour a log line.
    BOOST_TEST(server.process->wait_for_error_text("refused: unknown transform 'sh?out?[31m'", 10s),
               server.process->error_text());
}

BOOST_AUTO_TEST_CASE(verbose_says_each_step_of_the_fast_and_transform_servers)
{
    auto fast = start_server_process({program_path("fastpoetry"), "--verbose", poem_path("harbour-lights.txt")});
    raw_client reader(fast.port);
    BOOST_TEST(reader.read_to_eof(10s).data.size() == 653u);
    BOOST_TEST(fast.process->wait_for_error_text(": Sending 653 bytes\n", 10s), fast.process->error_text());

    auto xform = start_server_process({program_path("transformedpoetry"), "--verbose"});
    raw_client asker(xform.port);
    asker.send("16:cummingsify.POEM,");
    BOOST_TEST(asker.read_to_eof(10s).data == "4:poem,");
    BOOST_TEST(xform.process->wait_for_error_text(": asks for cummingsify of 4 bytes\n", 10s),
               xform.process->error_text());

    // Without --verbose, neither step is logged.
    auto quiet = start_server_process({program_path("fastpoetry"), poem_path("harbour-lights.txt")});
    raw_client other(quiet.port);
    BOOST_TEST(other.read_to_eof(10s).data.size() == 653u);
    BOOST_TEST(quiet.process->wait_for_error_text(": sent 653 bytes", 10s), quiet.process->error_text());
    BOOST_TEST(quiet.process->error_text().find("Sending") == std::string::npos, quiet.process->error_text());
}

BOOST_AUTO_TEST_CASE(slowpoetry_shows_what_it_does_as_it_does_it)
{
    const auto poem = poem_path("harbour-lights.txt");
    auto server =
        start_server_process({program_path("slowpoetry"), "--verbose", "--num-bytes", "10", "--delay", "30", poem});
    raw_client client(server.port);
    BOOST_TEST(client.read_at_least(10, 10s).data.size() == 10u);
    // Before the poem ends: who came, and each chunk, in the original's words.
    BOOST_TEST(server.process->wait_for_error_text(" wants poetry!", 10s), server.process->error_text());
    BOOST_TEST(server.process->wait_for_error_text(": Sending 10 bytes", 10s), server.process->error_text());
    // "18:30:01.123 slowpoetry: Somebody at 127.0.0.1:PORT wants poetry!"
    const std::string first_line = server.process->error_text().substr(0, server.process->error_text().find('\n'));
    const std::string time = first_line.substr(0, 12);
    const bool stamped = time.size() == 12 && time[2] == ':' && time[5] == ':' && time[8] == '.' &&
                         std::count_if(time.begin(), time.end(), [](char c) { return c >= '0' && c <= '9'; }) == 9;
    BOOST_TEST(stamped, first_line);
    BOOST_TEST(first_line.substr(12).starts_with(" slowpoetry: Somebody at 127.0.0.1:"), first_line);
    BOOST_TEST(first_line.ends_with(" wants poetry!"), first_line);

    // Stopped with the client mid-poem: one line says the connection was cut.
    server.process->send_signal(SIGTERM);
    BOOST_TEST(server.process->wait(5s) == 0);
    BOOST_TEST(server.process->error_text().find(": cut off after ") != std::string::npos,
               server.process->error_text());
    BOOST_TEST(server.process->error_text().find("the server is stopping") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(proxy_times_each_client_from_its_own_connection)
{
    // About 1.8 s for the upstream's poem: 7 chunks of 100 bytes, 0.3 s apart.
    const auto poem = poem_path("harbour-lights.txt");
    auto upstream =
        start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "100", "--delay", "0.3", poem});
    auto proxy = start_server_process({program_path("poetry-proxy"), std::to_string(upstream.port)});
    {
        raw_client leaver(proxy.port);
        raw_client waiter(proxy.port);
        BOOST_TEST(proxy.process->wait_for_error_text(" wants poetry!", 10s));
        leaver.reset();
        BOOST_TEST(waiter.read_to_eof(10s).data == file_text(poem));
    }
    BOOST_TEST(proxy.process->wait_for_error_text(": sent 0 bytes in ", 10s), proxy.process->error_text());
    BOOST_TEST(proxy.process->wait_for_error_text("left while waiting for the download", 10s),
               proxy.process->error_text());
    // The line may follow the poem's end: a server's log is written by a thread of its own.
    const std::string sent = "sent 653 bytes in ";
    BOOST_TEST(proxy.process->wait_for_error_text(sent, 10s), proxy.process->error_text());
    const std::string log = proxy.process->error_text();
    const auto at = log.find(sent);
    BOOST_TEST_REQUIRE(at != std::string::npos, log);
    BOOST_TEST(std::stod(log.substr(at + sent.size())) >= 1.5,
               "the waiting client's time counts from its connection: " << log);
}

BOOST_AUTO_TEST_CASE(quiet_and_verbose_contradict)
{
    const auto [status, err] =
        run_to_exit({program_path("fastpoetry"), "--quiet", "--verbose", poem_path("small-hours.txt")});
    BOOST_TEST(status == 2);
    BOOST_TEST(err.find("--quiet and --verbose") != std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(slowpoetry_blocking_serves_one_client_at_a_time)
{
    const auto poem = poem_path("harbour-lights.txt"); // 653 bytes: 4 chunks of 200, 3 pauses
    // The order of the server's own lines shows it: one thread writes them all.
    const auto events = [](const std::string& log) {
        std::string order;
        std::istringstream lines(log);
        for (std::string line; std::getline(lines, line);)
            if (line.find("wants poetry!") != std::string::npos)
                order += 'w';
            else if (line.find("sent 653 bytes") != std::string::npos)
                order += 'd';
        return order;
    };
    for (const bool blocking : {true, false})
    {
        BOOST_TEST_CONTEXT((blocking ? "--blocking" : "every client at once"))
        {
            std::vector<std::string> argv{program_path("slowpoetry"), "--num-bytes", "200", "--delay", "0.2", poem};
            if (blocking)
                argv.push_back("--blocking");
            auto server = start_server_process(argv);
            raw_client first(server.port);
            raw_client second(server.port); // connected: it waits in the listen queue when blocking
            BOOST_TEST(first.read_to_eof(10s).data == file_text(poem));
            BOOST_TEST(second.read_to_eof(10s).data == file_text(poem));
            BOOST_TEST(server.process->wait_for_error_text("sent 653 bytes", 2, 10s));
            BOOST_TEST(events(server.process->error_text()) == (blocking ? "wdwd" : "wwdd"),
                       server.process->error_text());
            // Each says how long its poem took, as every server does.
            BOOST_TEST(server.process->wait_for_error_text("sent 653 bytes in ", 2, 10s), server.process->error_text());
            server.process->send_signal(SIGTERM);
            BOOST_TEST(server.process->wait(10s) == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(slowpoetry_blocking_stopped_mid_poem_resets_and_exits_0)
{
    auto server = start_server_process(
        {program_path("slowpoetry"), "--blocking", "--delay", "30", poem_path("harbour-lights.txt")});
    raw_client client(server.port);
    BOOST_TEST(client.read_at_least(10, 10s).data.size() == 10u);
    server.process->send_signal(SIGTERM);
    BOOST_TEST(server.process->wait(10s) == 0);
    const auto rest = client.read_to_eof(10s);
    BOOST_TEST(!rest.eof, "a cut-off poem must not end like a whole one");
    BOOST_TEST(rest.error == ECONNRESET);
}

BOOST_AUTO_TEST_SUITE_END()
