// The servers under pressure: out of descriptors, clients that never read,
// clients that reset, kills and restarts.
#include "child_process.hpp"
#include "raw_client.hpp"
#include "temporary_poem.hpp"

#include "common/resources.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// The accept-error episodes in a server's log: each "accept failed" line must be followed by
// one "accepting again" before the next, and the last episode must have ended.
struct episode_summary
{
    std::size_t count = 0;
    bool well_formed = true;
};

episode_summary
accept_episodes(const std::string& log)
{
    episode_summary summary;
    bool in_episode = false;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
    {
        if (line.find("accept failed") != std::string::npos)
        {
            summary.well_formed = summary.well_formed && !in_episode;
            in_episode = true;
            ++summary.count;
        }
        else if (line.find("accepting again") != std::string::npos)
        {
            summary.well_formed = summary.well_formed && in_episode;
            in_episode = false;
        }
    }
    summary.well_formed = summary.well_formed && !in_episode;
    return summary;
}

} // namespace

BOOST_AUTO_TEST_SUITE(reliability_e2e)

BOOST_AUTO_TEST_CASE(out_of_descriptors_backs_off_and_recovers)
{
    // A poem larger than a socket's buffer: a client that does not read keeps its connection open.
    const temporary_poem poem(8 * 1024 * 1024);
    auto server =
        start_server_process({"/bin/sh", "-c", "ulimit -n 32 && exec " + program_path("fastpoetry") + " " + poem.path});

    // Clients that neither read nor close hold the server's descriptors.
    std::vector<std::unique_ptr<raw_client>> holders;
    for (int i = 0; i < 60; ++i)
        holders.push_back(std::make_unique<raw_client>(server.port));
    BOOST_TEST_REQUIRE(server.process->wait_for_error_text("accept failed", 10s), server.process->error_text());

    // While out of descriptors, the server waits on a timer instead of spinning.
    const double before = usage_of(server.process->pid()).cpu_seconds;
    std::this_thread::sleep_for(500ms); // a measuring window, not a synchronisation
    const double used = usage_of(server.process->pid()).cpu_seconds - before;
    BOOST_TEST(used < 0.15, "the server used " << used << " s of CPU in 0.5 s while out of descriptors");

    holders.clear();
    BOOST_TEST(server.process->wait_for_error_text("accepting again", 10s), server.process->error_text());
    raw_client after(server.port);
    BOOST_TEST(after.read_to_eof(10s).data == poem.bytes);
    BOOST_TEST(server.process->wait(0ms) == child_process::still_running);
    // Connections queued by the holders can run the server out of descriptors again once they go,
    // a real second episode; under any timing, each episode logs one line and its end one more.
    const auto episodes = accept_episodes(server.process->error_text());
    BOOST_TEST(episodes.well_formed, server.process->error_text());
    BOOST_TEST(episodes.count >= 1u);
}

BOOST_AUTO_TEST_CASE(thousand_clients_that_never_read)
{
    poetry::raise_open_file_limit();
    const temporary_poem poem(1024 * 1024);
    auto server = start_server_process({program_path("fastpoetry"), "--quiet", poem.path});
    std::vector<std::unique_ptr<raw_client>> stuck;
    for (int i = 0; i < 1000; ++i)
        stuck.push_back(std::make_unique<raw_client>(server.port));

    const auto start = std::chrono::steady_clock::now();
    raw_client reader(server.port);
    const auto got = reader.read_to_eof(10s);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((got.eof && got.data == poem.bytes));
    BOOST_TEST_MESSAGE("a reading client behind 1,000 stuck ones was served in "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
    // The kernel copies up to a socket buffer of the poem for each stuck client first; bound it loosely.
    BOOST_TEST((took < 5s), "a reading client waited behind the stuck ones");

    const auto usage = usage_of(server.process->pid());
    BOOST_TEST_MESSAGE("fastpoetry with 1,000 stuck clients of a 1 MiB poem: RSS " << usage.rss_kib << " KiB, peak "
                                                                                   << usage.peak_rss_kib << " KiB");
    BOOST_TEST(usage.peak_rss_kib < 64 * 1024);
}

BOOST_AUTO_TEST_CASE(clients_that_reset_mid_poem_never_kill_the_server)
{
    const temporary_poem big(4 * 1024 * 1024);
    auto fast = start_server_process({program_path("fastpoetry"), "--quiet", big.path});
    auto slow = start_server_process(
        {program_path("slowpoetry"), "--quiet", "--delay", "0.02", poem_path("harbour-lights.txt")});
    for (int i = 0; i < 20; ++i)
    {
        raw_client to_fast(fast.port);
        BOOST_TEST(to_fast.read_at_least(1, 5s).data.size() >= 1u);
        to_fast.reset();
        raw_client to_slow(slow.port);
        BOOST_TEST(to_slow.read_at_least(1, 5s).data.size() >= 1u);
        to_slow.reset();
    }
    // Writes to the reset peers fail with EPIPE or ECONNRESET, never SIGPIPE.
    raw_client last_slow(slow.port);
    BOOST_TEST(last_slow.read_to_eof(20s).data == file_text(poem_path("harbour-lights.txt")));
    raw_client last_fast(fast.port);
    BOOST_TEST((last_fast.read_to_eof(20s).data == big.bytes));
    BOOST_TEST(fast.process->wait(0ms) == child_process::still_running);
    BOOST_TEST(slow.process->wait(0ms) == child_process::still_running);
}

BOOST_AUTO_TEST_CASE(restart_on_the_same_port_right_after_a_kill)
{
    const auto poem = poem_path("small-hours.txt");
    auto first = start_server_process({program_path("fastpoetry"), "--quiet", poem});
    // Served connections leave the server's side in TIME_WAIT on this port.
    for (int i = 0; i < 20; ++i)
    {
        raw_client client(first.port);
        BOOST_TEST(client.read_to_eof(5s).eof);
    }
    raw_client open_during_kill(first.port);
    first.process->send_signal(SIGKILL);
    BOOST_TEST(first.process->wait(5s) == 128 + SIGKILL);

    auto second = start_server_process({program_path("fastpoetry"), "--port", std::to_string(first.port), poem});
    BOOST_TEST(second.port == first.port);
    raw_client client(second.port);
    BOOST_TEST(client.read_to_eof(5s).data == file_text(poem));
}

BOOST_AUTO_TEST_CASE(listening_on_every_interface_warns)
{
    // Every spelling of "every address", in both kinds of slowpoetry and in fastpoetry.
    const std::vector<std::vector<std::string>> programs{
        {"fastpoetry"}, {"slowpoetry", "--delay", "0"}, {"slowpoetry", "--blocking", "--delay", "0"}};
    for (const std::string iface : {"0.0.0.0", "::", "::ffff:0.0.0.0", "0"})
        for (const auto& program : programs)
        {
            BOOST_TEST_CONTEXT(program.front() << (program.size() > 3 ? " --blocking" : "") << " --iface " << iface)
            {
                std::vector<std::string> argv{program_path(program.front())};
                argv.insert(argv.end(), program.begin() + 1, program.end());
                argv.insert(argv.end(), {"--iface", iface, poem_path("small-hours.txt")});
                auto server = start_server_process(argv);
                BOOST_TEST(server.process->wait_for_error_text("reachable from the network", 5s),
                           server.process->error_text());
                raw_client client(server.port); // reached through loopback only
                BOOST_TEST(client.read_to_eof(5s).eof);
            }
        }

    auto local = start_server_process({program_path("fastpoetry"), poem_path("small-hours.txt")});
    raw_client other(local.port);
    BOOST_TEST(other.read_to_eof(5s).eof);
    BOOST_TEST(local.process->error_text().find("warning") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(full_server_is_a_failed_download_for_every_client)
{
    const temporary_poem poem(8 * 1024 * 1024);
    auto server = start_server_process({program_path("fastpoetry"), "--max-connections", "1", poem.path});
    raw_client holder(server.port); // takes the one slot and does not read its poem
    BOOST_TEST_REQUIRE(holder.read_at_least(1, 5s).data.size() >= 1u);

    for (const std::string program : {"get-poetry-6", "get-poetry-7", "get-poetry-8"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            child_process client({program_path(program), "--no-xform", std::to_string(server.port)});
            const auto out = client.read_all(10s);
            BOOST_TEST(client.wait(10s) == 1, "a refused connection is a failure, not an empty poem");
            BOOST_TEST(out.empty(), out.size() << " bytes printed");
            BOOST_TEST(client.error_text().find("The poem download failed: 127.0.0.1:" + std::to_string(server.port) +
                                                ": Connection reset by peer") != std::string::npos,
                       client.error_text());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
