// get-poetry-6 and get-poetry-7 against real server programs: every case for both.
#include "ascii.hpp"
#include "background_server.hpp"
#include "child_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <csignal>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> clients{"get-poetry-6", "get-poetry-7", "get-poetry-8"};

struct client_run
{
    int status = -1;
    std::string out;
    std::string err;
    std::chrono::steady_clock::duration took{};
};

client_run
run_client(const std::string& program, std::vector<std::string> args, std::chrono::milliseconds limit = 20s)
{
    args.insert(args.begin(), program_path(program));
    const auto start = std::chrono::steady_clock::now();
    child_process child(std::move(args));
    client_run run;
    run.out = child.read_all(limit);
    run.status = child.wait(limit);
    run.took = std::chrono::steady_clock::now() - start;
    BOOST_TEST_REQUIRE(run.status != child_process::still_running, program << " did not exit");
    run.err = child.error_text();
    return run;
}

// The servers of the tutorial's demonstration, each from its own program.
struct demo_servers
{
    started_server xform = start_server_process({program_path("transformedpoetry"), "--quiet"});
    started_server fast =
        start_server_process({program_path("fastpoetry"), "--quiet", poem_path("harbour-lights.txt")});
    started_server slow = start_server_process(
        {program_path("slowpoetry"), "--quiet", "--num-bytes", "100", "--delay", "0.01", poem_path("small-hours.txt")});
};

// A listener on 127.0.0.1 that never accepts, its queue filled: a new connection to it
// is never made (the kernel drops its SYN).
class full_listener
{
public:
    full_listener()
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        BOOST_TEST_REQUIRE((::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
                            ::listen(listener_, 0) == 0 &&
                            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) == 0));
        port_ = ntohs(address.sin_port);
        for (int& filler : fillers_)
        {
            filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            ::connect(filler, reinterpret_cast<sockaddr*>(&address), size); // in progress or queued
        }
    }
    ~full_listener()
    {
        for (const int filler : fillers_)
            ::close(filler);
        ::close(listener_);
    }
    full_listener(const full_listener&) = delete;
    full_listener& operator=(const full_listener&) = delete;

    std::uint16_t port() const noexcept { return port_; }

private:
    int listener_ = -1;
    std::array<int, 3> fillers_{};
    std::uint16_t port_ = 0;
};

std::string
port(const started_server& s)
{
    return std::to_string(s.port);
}

std::vector<std::string>
sorted_blocks(const std::string& out, const std::vector<std::string>& poems)
{
    std::vector<std::string> found;
    for (const auto& p : poems)
        if (out.find(p) != std::string::npos)
            found.push_back(p);
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(clients_e2e)

BOOST_AUTO_TEST_CASE(happy_path_prints_both_poems_lower_cased)
{
    demo_servers servers;
    const std::string harbour = lower_ascii(file_text(poem_path("harbour-lights.txt")));
    const std::string hours = lower_ascii(file_text(poem_path("small-hours.txt")));
    std::vector<std::string> outputs;
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run =
                run_client(program, {port(servers.xform), port(servers.fast), "127.0.0.1:" + port(servers.slow)});
            BOOST_TEST(run.status == 0, run.err);
            BOOST_TEST(run.out.size() == harbour.size() + hours.size() + 2);
            BOOST_TEST(run.out.find(harbour + "\n") != std::string::npos);
            BOOST_TEST(run.out.find(hours + "\n") != std::string::npos);
            BOOST_TEST(run.err.empty(), run.err);
            outputs.push_back(run.out);
        }
    }
    // The same stdout, up to the order of the poems.
    for (const auto& output : outputs)
        BOOST_TEST(sorted_blocks(output, {harbour, hours}) == sorted_blocks(outputs[0], {harbour, hours}),
                   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_address_refused)
{
    demo_servers servers;
    const std::string dead = std::to_string(closed_port());
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(program, {port(servers.xform), port(servers.fast), dead});
            BOOST_TEST(run.status == 1);
            BOOST_TEST(run.out == lower_ascii(file_text(poem_path("harbour-lights.txt"))) + "\n");
            BOOST_TEST(run.err.find("The poem download failed: 127.0.0.1:" + dead + ": Connection refused") !=
                           std::string::npos,
                       run.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(transform_server_down_keeps_original_poem)
{
    demo_servers servers;
    const std::string dead = std::to_string(closed_port());
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(program, {dead, port(servers.fast)});
            BOOST_TEST(run.status == 0);
            BOOST_TEST(run.out == file_text(poem_path("harbour-lights.txt")) + "\n");
            // Both servers named: the poem's, and the transform server that failed.
            BOOST_TEST(run.err == "Cummingsify failed for the poem from 127.0.0.1:" + port(servers.fast) +
                                      ": transform server 127.0.0.1:" + dead + ": Connection refused\n");
        }
    }
}

BOOST_AUTO_TEST_CASE(transform_server_closes_without_answer)
{
    auto failing = start_server_process({program_path("transformedpoetry"), "--quiet", "--fail-rate", "1"});
    demo_servers servers;
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(program, {port(failing), port(servers.fast)});
            BOOST_TEST(run.status == 0);
            BOOST_TEST(run.out == file_text(poem_path("harbour-lights.txt")) + "\n");
            BOOST_TEST(run.err == "Cummingsify failed for the poem from 127.0.0.1:" + port(servers.fast) +
                                      ": transform server 127.0.0.1:" + port(failing) +
                                      ": connection closed without a reply\n");
        }
    }
}

BOOST_AUTO_TEST_CASE(slow_server_stopped_mid_poem_by_each_signal)
{
    // SIGTERM: the server resets what it had not finished, so that a cut-off poem never
    // reads as whole. SIGKILL: the kernel closes the socket normally, and the poem is
    // what came.
    for (const auto& program : clients)
        for (const int signal : {SIGTERM, SIGKILL})
        {
            BOOST_TEST_CONTEXT(program << ", signal " << signal)
            {
                auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "10", "--delay",
                                                  "30", poem_path("harbour-lights.txt")});
                child_process client({program_path(program), "--no-xform", "--verbose", port(slow)});
                // Once the first chunk has arrived, as the verbose line says, the server stops.
                BOOST_TEST_REQUIRE(client.wait_for_error_text("got 10 bytes", 10s), client.error_text());
                slow.process->send_signal(signal);
                const auto out = client.read_all(10s);
                const int status = client.wait(5s);
                const std::string err = client.error_text();
                if (signal == SIGTERM)
                {
                    BOOST_TEST(status == 1);
                    BOOST_TEST(out.empty(), out);
                    BOOST_TEST(err.find("The poem download failed: 127.0.0.1:" + port(slow) +
                                        ": Connection reset by peer (after 10 bytes)") != std::string::npos,
                               err);
                }
                else
                {
                    BOOST_TEST(status == 0);
                    BOOST_TEST(out == file_text(poem_path("harbour-lights.txt")).substr(0, 10) + "\n");
                    BOOST_TEST(err.find("poem done: 10 bytes") != std::string::npos, err);
                }
            }
        }
}

BOOST_AUTO_TEST_CASE(a_forgotten_transform_port_names_the_server_whose_reply_is_wrong)
{
    // `get-poetry-7 10002 10003`: the first poetry server is taken for the transform server.
    demo_servers servers;
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(program, {port(servers.fast), port(servers.slow)});
            BOOST_TEST(run.status == 0);
            BOOST_TEST(run.err == "Cummingsify failed for the poem from 127.0.0.1:" + port(servers.slow) +
                                      ": transform server 127.0.0.1:" + port(servers.fast) +
                                      ": its reply is not a netstring (netstring length has a byte that is not a "
                                      "digit); a poetry server answers with a poem: if this is one, the first "
                                      "address should be the transform server's\n");
        }
    }
}

BOOST_AUTO_TEST_CASE(swapped_addresses_get_a_hint_for_each_server)
{
    // `get-poetry-7 10002 10001 10003`: the poetry server first, the transform server second.
    demo_servers servers;
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(program, {"--timeout", "0.5", port(servers.fast), port(servers.xform)});
            BOOST_TEST(run.status == 1);
            BOOST_TEST(run.err.find("The poem download failed: 127.0.0.1:" + port(servers.xform) +
                                    ": connected, but nothing arrived for 0.5 s; a transform server waits for a "
                                    "request and never sends: if this is one, its address goes first\n") !=
                           std::string::npos,
                       run.err);
            // With --no-xform there is no transform server to put first.
            const auto plain = run_client(program, {"--timeout", "0.5", "--no-xform", port(servers.xform)});
            BOOST_TEST(plain.status == 1);
            BOOST_TEST(plain.err.find("nothing arrived for 0.5 s\n") != std::string::npos, plain.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(another_transform_is_named_when_it_fails)
{
    demo_servers servers;
    const auto run = run_client("get-poetry-7", {"--xform", "upper", port(servers.xform), port(servers.fast)});
    BOOST_TEST(run.status == 0);
    BOOST_TEST(run.err.find("The transform 'upper' failed for the poem from 127.0.0.1:" + port(servers.fast)) == 0u,
               run.err);
}

BOOST_AUTO_TEST_CASE(timeouts_say_whether_the_connection_was_made)
{
    demo_servers servers;
    const full_listener full;
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            // A listener whose queue is full: the connection is never made.
            auto run = run_client(program, {"--timeout", "0.5", port(servers.xform), std::to_string(full.port())});
            BOOST_TEST(run.status == 1);
            BOOST_TEST(run.err == "The poem download failed: 127.0.0.1:" + std::to_string(full.port()) +
                                      ": could not connect within 0.5 s\n");

            // A server that sent 10 bytes and then nothing.
            auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "10", "--delay",
                                              "30", poem_path("harbour-lights.txt")});
            run = run_client(program, {"--timeout", "0.5", "--verbose", port(servers.xform), port(slow)});
            BOOST_TEST(run.status == 1);
            BOOST_TEST(run.err.find("The poem download failed: 127.0.0.1:" + port(slow) +
                                    ": connected, but nothing arrived for 0.5 s (after 10 bytes)\n") !=
                           std::string::npos,
                       run.err);
            BOOST_TEST(run.err.find("Task 1: connected to 127.0.0.1:" + port(slow) + "\n") != std::string::npos,
                       run.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(hung_server_fails_after_timeout)
{
    auto hung = start_hung_server();
    demo_servers servers;
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(
                program, {"--timeout", "0.5", port(servers.xform), std::to_string(hung->port()), port(servers.fast)});
            BOOST_TEST(run.status == 1);
            BOOST_TEST(run.err.find("The poem download failed: 127.0.0.1:" + std::to_string(hung->port()) +
                                    ": connected, but nothing arrived for 0.5 s") != std::string::npos,
                       run.err);
            BOOST_TEST(run.out.find("harbour lights") != std::string::npos);
            BOOST_TEST((run.took >= 450ms));
            BOOST_TEST((run.took < 5s));
        }
    }
}

BOOST_AUTO_TEST_CASE(two_hundred_addresses_take_about_one_poem)
{
    // 653 bytes, 100 per chunk: 7 chunks, 6 pauses of 0.1 s.
    auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "100", "--delay", "0.1",
                                      poem_path("harbour-lights.txt")});
    auto xform = start_server_process({program_path("transformedpoetry"), "--quiet"});
    const std::string expected = lower_ascii(file_text(poem_path("harbour-lights.txt"))) + "\n";
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            std::vector<std::string> args{port(xform)};
            for (int i = 0; i < 200; ++i)
                args.push_back(port(slow));
            const auto run = run_client(program, args);
            BOOST_TEST(run.status == 0, run.err);
            std::size_t poems = 0;
            for (auto at = run.out.find(expected); at != std::string::npos; at = run.out.find(expected, at + 1))
                ++poems;
            BOOST_TEST(poems == 200u);
            BOOST_TEST(run.out.size() == 200 * expected.size());
            BOOST_TEST((run.took < 600ms + 2s), "one at a time would take 200 poems' time");
        }
    }
}

BOOST_AUTO_TEST_CASE(more_addresses_than_descriptors_wait_their_turn)
{
    auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "100", "--delay", "0.02",
                                      poem_path("harbour-lights.txt")});
    auto xform = start_server_process({program_path("transformedpoetry"), "--quiet"});
    const std::string expected = lower_ascii(file_text(poem_path("harbour-lights.txt"))) + "\n";
    // A host name waits its turn as a literal address does: resolving it needs descriptors too.
    for (const std::string host : {"", "localhost:"})
        for (const auto& program : clients)
        {
            BOOST_TEST_CONTEXT(program << " " << host << "PORT")
            {
                // 300 addresses, 64 descriptors: the connections the limit allows are opened, the others wait.
                std::string command = "ulimit -n 64 && exec " + program_path(program) + " " + host + port(xform);
                for (int i = 0; i < 300; ++i)
                    command += " " + host + port(slow);
                child_process child({"/bin/sh", "-c", command});
                const std::string out = child.read_all(60s);
                BOOST_TEST(child.wait(10s) == 0, child.error_text().substr(0, 2000));
                std::size_t poems = 0;
                for (auto at = out.find(expected); at != std::string::npos; at = out.find(expected, at + 1))
                    ++poems;
                BOOST_TEST(poems == 300u);
            }
        }
}

BOOST_AUTO_TEST_CASE(trace_records_every_event)
{
    // 653 bytes, 100 per chunk: 7 chunks.
    auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "100", "--delay", "0.02",
                                      poem_path("harbour-lights.txt")});
    auto xform = start_server_process({program_path("transformedpoetry"), "--quiet"});
    const std::string dead = std::to_string(closed_port());
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const std::string trace = "/tmp/poetry-test-trace-" + program + ".csv";
            const auto run = run_client(program, {"--trace", trace, port(xform), port(slow), dead});
            BOOST_TEST(run.status == 1);
            const std::string text = file_text(trace);
            std::remove(trace.c_str());

            // Each line: seconds,task,address,event,bytes. Collect per task.
            std::istringstream lines(text);
            std::string line;
            std::getline(lines, line);
            BOOST_TEST(line ==
                       "# " + program + " --trace " + trace + " " + port(xform) + " " + port(slow) + " " + dead);
            std::getline(lines, line);
            BOOST_TEST(line == "seconds,task,address,event,bytes");
            std::map<int, std::vector<std::string>> events;
            std::size_t slow_bytes = 0;
            double previous = 0;
            while (std::getline(lines, line))
            {
                std::istringstream fields(line);
                std::string seconds, task, address, event, bytes;
                std::getline(fields, seconds, ',');
                std::getline(fields, task, ',');
                std::getline(fields, address, ',');
                std::getline(fields, event, ',');
                std::getline(fields, bytes, ',');
                BOOST_TEST(std::stod(seconds) >= previous, "times go forward: " << line);
                previous = std::stod(seconds);
                events[std::stoi(task)].push_back(event);
                if (task == "1")
                {
                    BOOST_TEST(address == "127.0.0.1:" + port(slow));
                    if (event == "bytes")
                        slow_bytes += std::stoul(bytes);
                }
                else
                    BOOST_TEST(address == "127.0.0.1:" + dead);
            }
            const std::vector<std::string> slow_expected{"connect", "bytes", "bytes", "bytes",     "bytes",
                                                         "bytes",   "bytes", "bytes", "transform", "done"};
            BOOST_TEST(events[1] == slow_expected, boost::test_tools::per_element());
            BOOST_TEST(slow_bytes == 653u);
            BOOST_TEST(events[2] == std::vector<std::string>{"failed"}, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(timeline_draws_a_png_of_the_expected_size)
{
    // Names with a space and quotes: nothing of them reaches gnuplot's script.
    const std::string trace = "/tmp/poetry test \"timeline\" 'run'.csv";
    const std::string picture = "/tmp/poetry test \"timeline\" 'run'.png";
    std::ofstream(trace) << "# get-poetry-7 --trace \"odd\" 'name'.csv 10001 10002 10003\n"
                            "seconds,task,address,event,bytes\n"
                            "0.001,1,127.0.0.1:10002,connect,0\n"
                            "0.002,2,127.0.0.1:10003,connect,0\n"
                            "0.003,1,127.0.0.1:10002,bytes,653\n"
                            "0.004,1,127.0.0.1:10002,transform,0\n"
                            "0.010,1,127.0.0.1:10002,done,0\n"
                            "0.102,2,127.0.0.1:10003,bytes,10\n"
                            "0.802,2,127.0.0.1:10003,failed,10\n";
    child_process draw({program_path("poetry-timeline"), "--until", "2.5", trace, picture});
    draw.read_all(60s);
    BOOST_TEST_REQUIRE(draw.wait(60s) == 0, draw.error_text());

    // A PNG: the signature, then the IHDR chunk with width and height (big-endian).
    const std::string png = file_text(picture);
    std::remove(trace.c_str());
    std::remove(picture.c_str());
    BOOST_TEST_REQUIRE(png.size() > 24u);
    BOOST_TEST(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    BOOST_TEST(png.substr(12, 4) == "IHDR");
    const auto big_endian = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i)
            v = (v << 8) | static_cast<unsigned char>(png[at + i]);
        return v;
    };
    BOOST_TEST(big_endian(16) == 1100u);
    BOOST_TEST(big_endian(20) == 140u + 40u * 2u);
}

BOOST_AUTO_TEST_CASE(timeline_draws_a_blocked_loop_across_the_lanes_and_a_deadline_without_a_lane_of_their_own)
{
    // defer-block's and get-poetry-deadline's events: task 0 is the loop, not a lane.
    const std::string lanes = "seconds,task,address,event,bytes\n"
                              "0.001,1,127.0.0.1:10002,connect,0\n"
                              "0.002,2,127.0.0.1:10003,connect,0\n"
                              "0.100,1,127.0.0.1:10002,bytes,50\n"
                              "0.100,2,127.0.0.1:10003,bytes,50\n"
                              "1.200,1,127.0.0.1:10002,bytes,50\n"
                              "1.300,1,127.0.0.1:10002,done,100\n";
    const std::string stops = "0.500,0,-,block,0\n"
                              "1.150,0,-,unblock,0\n"
                              "1.500,2,127.0.0.1:10003,deadline,50\n";
    const auto draw = [&](const std::string& name, const std::string& text) {
        const std::string trace = "/tmp/poetry-test-timeline-" + name + ".csv";
        const std::string picture = "/tmp/poetry-test-timeline-" + name + ".png";
        std::ofstream(trace) << "# defer-block 10002 10003\n" << text;
        child_process drawing({program_path("poetry-timeline"), "--until", "2", trace, picture});
        const auto said = drawing.read_all(60s);
        BOOST_TEST(drawing.wait(60s) == 0, drawing.error_text());
        BOOST_TEST(said.find("(2 tasks)") != std::string::npos, said);
        const std::string png = file_text(picture);
        std::remove(trace.c_str());
        std::remove(picture.c_str());
        return png;
    };
    const auto plain = draw("plain", lanes);
    const auto stopped = draw("stopped", lanes + stops);
    BOOST_TEST_REQUIRE(plain.size() > 24u);
    BOOST_TEST_REQUIRE(stopped.size() > 24u);
    BOOST_TEST(plain.substr(16, 8) == stopped.substr(16, 8)); // the same size: no lane for the loop
    BOOST_TEST(plain != stopped);                             // but a band and a triangle more
}

BOOST_AUTO_TEST_CASE(timeline_refuses_a_time_axis_it_cannot_draw)
{
    const std::string script = std::string(POETRY_SOURCE_DIR) + "/scripts/timeline.sh";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{script, "--until", "0", "run.csv"}, "invalid --until '0'"},
        {{script, "--until=soon", "run.csv"}, "invalid --until 'soon'"},
        {{script, "--until", "-1", "run.csv"}, "invalid --until '-1'"},
        {{script, "run.csv", "run.png", "more.png"}, "too many arguments"},
        {{script, "--until"}, "--until needs SECONDS"},
    };
    for (const auto& [argv, message] : cases)
    {
        BOOST_TEST_CONTEXT(message)
        {
            child_process draw(argv);
            draw.read_all(10s);
            BOOST_TEST(draw.wait(10s) == 2);
            BOOST_TEST(draw.error_text().find(message) != std::string::npos, draw.error_text());
        }
    }
}

BOOST_AUTO_TEST_CASE(timeline_refuses_what_it_cannot_do)
{
    const std::string trace = "/tmp/poetry-test-timeline-refusals.csv";
    std::ofstream(trace) << "seconds,task,address,event,bytes\n0.001,1,127.0.0.1:10002,connect,0\n";
    const std::string script = std::string(POETRY_SOURCE_DIR) + "/scripts/timeline.sh";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{script, trace, "/nonexistent/out.png"}, "cannot write '/nonexistent/out.png': no folder '/nonexistent'"},
        {{script, trace, "/tmp"}, "cannot write '/tmp': it is a folder"},
        {{script, "/no/such/trace.csv"}, "cannot read trace '/no/such/trace.csv'"},
        {{script, POETRY_SOURCE_DIR "/README.md", "/tmp/poetry-test-not-a-trace.png"}, "is not a client trace"},
    };
    for (const auto& [argv, message] : cases)
    {
        BOOST_TEST_CONTEXT(message)
        {
            child_process draw(argv);
            const auto out = draw.read_all(60s);
            BOOST_TEST(draw.wait(60s) == 1);
            BOOST_TEST(out.empty(), "a picture went to the terminal: " << out.size() << " bytes");
            BOOST_TEST(draw.error_text().find(message) != std::string::npos, draw.error_text());
        }
    }
    std::remove(trace.c_str());
}

BOOST_AUTO_TEST_CASE(usage_errors)
{
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto none = run_client(program, {});
            BOOST_TEST(none.status == 2);
            BOOST_TEST(none.err.find("XFORM_ADDR ADDR") != std::string::npos, none.err);
            BOOST_TEST(run_client(program, {"10001"}).status == 2);
            const auto bad_port = run_client(program, {"10001", "poems"});
            BOOST_TEST(bad_port.status == 2);
            BOOST_TEST(bad_port.err.find("'poems'") != std::string::npos, bad_port.err);
            BOOST_TEST(bad_port.err.find("Ports must be integers") != std::string::npos, bad_port.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(verbose_progress_stays_readable)
{
    // 66 chunks in about 0.7 s: one line for the first, at most one a second after it.
    auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "10", "--delay", "0.01",
                                      poem_path("harbour-lights.txt")});
    for (const auto& program : clients)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto run = run_client(program, {"--no-xform", "--verbose", port(slow)});
            BOOST_TEST(run.status == 0, run.err);
            std::size_t progress_lines = 0;
            for (auto at = run.err.find("Task 1: got"); at != std::string::npos;
                 at = run.err.find("Task 1: got", at + 1))
                ++progress_lines;
            BOOST_TEST(progress_lines >= 1u);
            // The first chunk, then at most one a second: a slow machine may take longer than 0.7 s.
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(run.took).count();
            BOOST_TEST(progress_lines <= 2u + static_cast<std::size_t>(seconds), run.err);
            BOOST_TEST(run.err.find("Task 1: got 10 bytes of poetry from 127.0.0.1:" + port(slow)) != std::string::npos,
                       run.err);
            BOOST_TEST(run.err.find("poem done: 653 bytes") != std::string::npos, run.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(output_that_cannot_be_written_is_a_failure)
{
    demo_servers servers;
    for (const auto& client : clients)
    {
        BOOST_TEST_CONTEXT(client)
        {
            // Standard output on a full disk.
            child_process full({"/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/full", program_path(client),
                                port(servers.xform), port(servers.fast)});
            BOOST_TEST(full.wait(20s) == 1);
            BOOST_TEST(full.error_text().find("cannot write standard output") != std::string::npos, full.error_text());

            // Standard output a pipe whose reader has gone (`| head` once it has its lines).
            child_process gone({"/bin/bash", "-c", "exec > >(exit 0); wait $!; exec \"$0\" \"$@\"",
                                program_path(client), port(servers.xform), port(servers.fast)});
            BOOST_TEST(gone.wait(20s) == 1);
            BOOST_TEST(gone.error_text().find("cannot write standard output: it is a pipe whose reader has closed "
                                              "it") != std::string::npos,
                       gone.error_text());

            // A trace on a full disk.
            const auto traced = run_client(client, {"--trace", "/dev/full", port(servers.xform), port(servers.fast)});
            BOOST_TEST(traced.status == 1);
            BOOST_TEST(traced.err.find("cannot write trace file '/dev/full'") != std::string::npos, traced.err);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
