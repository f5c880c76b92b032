// The servers probed as an attacker or an unlucky network would: clients that stop
// reading, servers stopped mid-poem, a zero delay, signals at start-up, the connection
// cap across threads, and poem files that are not plain files.
#include "child_process.hpp"
#include "raw_client.hpp"
#include "temporary_poem.hpp"

#include "common/resources.hpp"

#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <csignal>
#include <memory>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// What a client saw of a connection cut short: never a clean end-of-file.
void
check_reset(const raw_client::result& got, std::size_t whole)
{
    BOOST_TEST(!got.timed_out);
    BOOST_TEST(!got.eof, "a cut-off poem of " << got.data.size() << " bytes ended like a whole one");
    BOOST_TEST(got.error == ECONNRESET);
    BOOST_TEST(got.data.size() < whole);
}

// A FIFO in a temporary folder, removed with the object.
struct temporary_fifo
{
    temporary_fifo()
    {
        char folder[] = "/tmp/poetry-test-fifo-XXXXXX";
        dir = ::mkdtemp(folder);
        path = dir + "/poem";
        ::mkfifo(path.c_str(), 0600);
    }
    ~temporary_fifo()
    {
        ::unlink(path.c_str());
        ::rmdir(dir.c_str());
    }
    std::string dir;
    std::string path;
};

} // namespace

BOOST_AUTO_TEST_SUITE(knock_over_e2e)

BOOST_AUTO_TEST_CASE(a_crowd_that_stops_reading_is_cut_off_and_the_server_serves_on)
{
    poetry::raise_open_file_limit();
    // Chunks of 1 MiB fill a connection's buffers (at most 4 MiB on loopback) in a few
    // rounds; then each drip waits for room until the write timeout cuts it off.
    const temporary_poem poem(16 * 1024 * 1024);
    auto server = start_server_process(
        {program_path("slowpoetry"), "--delay", "0.05", "--num-bytes", "1048576", "--write-timeout", "1", poem.path});
    constexpr std::size_t crowd = 40;
    std::vector<std::unique_ptr<raw_client>> stuck;
    for (std::size_t i = 0; i < crowd; ++i)
        stuck.push_back(std::make_unique<raw_client>(server.port, "127.0.0.1", 4096));
    // After the write timeout every one is cut off with a reset, never with a clean end.
    BOOST_TEST_REQUIRE(server.process->wait_for_error_text("timed out: peer is not reading", crowd, 60s),
                       server.process->error_text().substr(0, 2000));
    for (auto& client : stuck)
        check_reset(client->read_to_eof(20s), poem.bytes.size());
    BOOST_TEST(server.process->wait(0ms) == child_process::still_running);
    raw_client reader(server.port);
    const auto got = reader.read_to_eof(30s);
    BOOST_TEST(got.eof);
    BOOST_TEST((got.data == poem.bytes));
}

BOOST_AUTO_TEST_CASE(servers_stopped_mid_poem_reset_their_clients)
{
    const temporary_poem big(32 * 1024 * 1024);
    auto fast = start_server_process({program_path("fastpoetry"), "--quiet", big.path});
    auto slow =
        start_server_process({program_path("slowpoetry"), "--quiet", "--delay", "30", poem_path("harbour-lights.txt")});
    raw_client to_fast(fast.port);
    raw_client to_slow(slow.port);
    // Each has part of its poem, and the rest is on its way.
    BOOST_TEST(to_fast.read_at_least(1, 10s).data.size() >= 1u);
    BOOST_TEST(to_slow.read_at_least(10, 10s).data.size() == 10u);
    for (auto* server : {&fast, &slow})
    {
        server->process->send_signal(SIGTERM);
        BOOST_TEST(server->process->wait(10s) == 0);
    }
    check_reset(to_fast.read_to_eof(20s), big.bytes.size());
    check_reset(to_slow.read_to_eof(10s), 653);
}

BOOST_AUTO_TEST_CASE(proxy_stopped_with_clients_waiting_resets_them_and_exits_0)
{
    auto upstream =
        start_server_process({program_path("slowpoetry"), "--quiet", "--delay", "30", poem_path("harbour-lights.txt")});
    auto proxy = start_server_process({program_path("poetry-proxy"), "--verbose", std::to_string(upstream.port)});
    raw_client first(proxy.port);
    raw_client second(proxy.port);
    BOOST_TEST_REQUIRE(proxy.process->wait_for_error_text("Fetching poem from server.", 10s));
    proxy.process->send_signal(SIGTERM);
    // Under the sanitizer builds, a use of freed memory at the end would make this fail.
    BOOST_TEST(proxy.process->wait(10s) == 0, proxy.process->error_text());
    check_reset(first.read_to_eof(10s), 653);
    check_reset(second.read_to_eof(10s), 653);
}

BOOST_AUTO_TEST_CASE(proxy_caches_nothing_from_an_upstream_stopped_mid_poem)
{
    const auto poem = poem_path("harbour-lights.txt");
    auto upstream =
        start_server_process({program_path("slowpoetry"), "--verbose", "--delay", "0.05", "--num-bytes", "10", poem});
    const auto port = std::to_string(upstream.port);
    auto proxy = start_server_process({program_path("poetry-proxy"), "--quiet", port});
    raw_client waiting(proxy.port);
    // A few chunks have gone to the proxy; then its upstream stops.
    BOOST_TEST_REQUIRE(upstream.process->wait_for_error_text("Sending 10 bytes", 10s));
    upstream.process->send_signal(SIGTERM);
    BOOST_TEST(upstream.process->wait(10s) == 0);
    check_reset(waiting.read_to_eof(10s), 653);

    // Back on the same port: the proxy downloads again, and serves the whole poem.
    auto again = start_server_process({program_path("slowpoetry"), "--quiet", "--port", port, "--delay", "0", poem});
    raw_client later(proxy.port);
    const auto got = later.read_to_eof(20s);
    BOOST_TEST(got.eof);
    BOOST_TEST(got.data == file_text(poem));
}

BOOST_AUTO_TEST_CASE(a_client_that_shuts_down_its_sending_side_gets_the_whole_poem_or_a_reset)
{
    const auto poem = poem_path("harbour-lights.txt");
    auto slow =
        start_server_process({program_path("slowpoetry"), "--quiet", "--delay", "0.01", "--num-bytes", "50", poem});
    auto proxy = start_server_process({program_path("poetry-proxy"), "--quiet", std::to_string(slow.port)});
    const auto half_closed = [](std::uint16_t port) {
        raw_client client(port); // as `nc -N` does
        client.shutdown_send();
        return client.read_to_eof(20s);
    };

    // slowpoetry drips on: end-of-file only says the client sends nothing more.
    auto got = half_closed(slow.port);
    BOOST_TEST(got.eof);
    BOOST_TEST(got.data == file_text(poem));

    // The proxy takes end-of-file while waiting for its download as leaving (the original's
    // connectionLost): a reset. From the cache, the whole poem.
    check_reset(half_closed(proxy.port), 653);
    raw_client fills_the_cache(proxy.port);
    BOOST_TEST(fills_the_cache.read_to_eof(20s).data == file_text(poem));
    got = half_closed(proxy.port);
    BOOST_TEST(got.eof);
    BOOST_TEST(got.data == file_text(poem));
}

BOOST_AUTO_TEST_CASE(a_zero_delay_gives_no_client_the_loop_to_itself)
{
    const temporary_poem poem(8 * 1024 * 1024);
    auto server =
        start_server_process({program_path("slowpoetry"), "--quiet", "--delay", "0", "--num-bytes", "1", poem.path});
    raw_client fast_reader(server.port);
    BOOST_TEST_REQUIRE(fast_reader.read_at_least(1, 10s).data.size() >= 1u);
    raw_client::result first;
    std::thread reading([&] { first = fast_reader.read_to_eof(120s); });

    // Byte by byte, the first poem takes many seconds: the second client and the
    // signal are served in between, not after it.
    raw_client second(server.port);
    BOOST_TEST(second.read_at_least(1, 5s).data.size() >= 1u);
    server.process->send_signal(SIGTERM);
    BOOST_TEST(server.process->wait(5s) == 0);
    reading.join();
    check_reset(first, poem.bytes.size());
}

BOOST_AUTO_TEST_CASE(sigterm_right_after_the_start_line_exits_0)
{
    const auto poem = poem_path("small-hours.txt");
    const std::vector<std::vector<std::string>> servers{
        {program_path("fastpoetry"), "--quiet", poem},
        {program_path("slowpoetry"), "--quiet", poem},
        {program_path("transformedpoetry"), "--quiet"},
        {program_path("poetry-proxy"), "--quiet", "10002"},
    };
    for (const auto& argv : servers)
        for (int i = 0; i < 10; ++i)
        {
            BOOST_TEST_CONTEXT(argv.front() << ", run " << i)
            {
                auto server = start_server_process(argv);
                server.process->send_signal(SIGTERM);
                BOOST_TEST(server.process->wait(10s) == 0);
            }
        }
}

BOOST_AUTO_TEST_CASE(the_connection_cap_is_one_total_across_threads)
{
    const temporary_poem big(16 * 1024 * 1024);
    auto server = start_server_process(
        {program_path("fastpoetry"), "--quiet", "--threads", "4", "--max-connections", "2", big.path});
    // None reads on: the two taken stay open, every other one is refused with a reset.
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 12; ++i)
        clients.push_back(std::make_unique<raw_client>(server.port));
    int served = 0;
    int refused = 0;
    for (auto& client : clients)
    {
        const auto got = client->read_at_least(1, 10s);
        served += got.data.empty() ? 0 : 1;
        refused += got.error == ECONNRESET ? 1 : 0;
    }
    BOOST_TEST(served == 2);
    BOOST_TEST(refused == 10);
}

BOOST_AUTO_TEST_CASE(poem_files_are_read_to_their_end_and_fifos_refused)
{
    // /proc files report a size of 0 and have content.
    const std::string proc_file = "/proc/self/mountinfo";
    const std::vector<std::vector<std::string>> servers{
        {program_path("fastpoetry"), "--quiet", proc_file},
        {program_path("slowpoetry"), "--quiet", "--delay", "0", "--num-bytes", "4096", proc_file},
    };
    for (const auto& argv : servers)
    {
        BOOST_TEST_CONTEXT(argv.front())
        {
            auto server = start_server_process(argv);
            raw_client client(server.port);
            const auto got = client.read_to_eof(10s);
            BOOST_TEST(got.eof);
            BOOST_TEST(!got.data.empty());
        }
    }

    const temporary_fifo fifo;
    for (const auto* program : {"fastpoetry", "slowpoetry"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            child_process child({program_path(program), fifo.path});
            BOOST_TEST(child.wait(10s) == 1, "a FIFO as the poem must be refused, not waited on");
            BOOST_TEST(child.error_text().find("'" + fifo.path + "': not a regular file") != std::string::npos,
                       child.error_text());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_poem_file_too_large_to_hold_is_refused_by_name)
{
    // A sparse file of 30 GiB costs the disk nothing; holding it would cost 30 GiB.
    const temporary_fifo folder; // a private folder to put it in
    const std::string path = folder.dir + "/vast.txt";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    BOOST_TEST_REQUIRE(fd >= 0);
    BOOST_TEST_REQUIRE(::ftruncate(fd, off_t{30} << 30) == 0);
    ::close(fd);
    for (const auto* program : {"fastpoetry", "slowpoetry"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            child_process child({program_path(program), path});
            BOOST_TEST(child.wait(10s) == 1);
            BOOST_TEST(child.error_text().find("'" + path + "': larger than the 4 GiB a poem file may be") !=
                           std::string::npos,
                       child.error_text());
        }
    }
    ::unlink(path.c_str());
}

BOOST_AUTO_TEST_CASE(the_blocking_server_honours_write_timeout_and_closes_gracefully)
{
    // 16 MiB: more than the socket buffers on both sides hold.
    const temporary_poem poem(16 * 1024 * 1024);
    const std::string whole = file_text(poem.path);
    auto server = start_server_process({program_path("slowpoetry"), "--quiet", "--blocking", "--delay", "0",
                                        "--num-bytes", "1048576", "--write-timeout", "1", poem.path});
    {
        // A client that never reads is cut off after a second, not served for ever...
        raw_client stuck(server.port, "127.0.0.1", 4096);
        BOOST_TEST_REQUIRE(stuck.wait_readable(5s));
        // ...so the next one, queued behind it, gets its poem.
        raw_client next(server.port);
        const auto got = next.read_to_eof(15s);
        BOOST_TEST(got.eof);
        BOOST_TEST((got.data == whole));
    }
    // A client that sent bytes the server never reads still gets every byte: a lingering
    // close, not a reset that destroys the end of the poem.
    for (int i = 0; i < 3; ++i)
    {
        raw_client talker(server.port);
        talker.send("hello, server\n");
        const auto got = talker.read_to_eof(15s);
        BOOST_TEST(got.eof, "error " << got.error << " after " << got.data.size() << " bytes");
        BOOST_TEST((got.data == whole));
    }
}

BOOST_AUTO_TEST_CASE(a_stall_never_becomes_a_burst)
{
    // slowpoetry stopped for four delays mid-poem: once it goes on, its client still gets
    // one chunk per delay, not the four it missed at once.
    const temporary_poem poem(1'000);
    for (const bool blocking : {false, true})
    {
        BOOST_TEST_CONTEXT((blocking ? "--blocking" : "event loop"))
        {
            std::vector<std::string> argv{program_path("slowpoetry"), "--quiet", "--num-bytes", "10", "--delay", "0.5"};
            if (blocking)
                argv.push_back("--blocking");
            argv.push_back(poem.path);
            auto server = start_server_process(argv);
            raw_client client(server.port);
            BOOST_TEST_REQUIRE(client.read_at_least(10, 5s).data.size() == 10u);
            server.process->send_signal(SIGSTOP);
            std::this_thread::sleep_for(2s); // the stall itself: four chunks fall due meanwhile
            server.process->send_signal(SIGCONT);
            const auto resumed = client.read_at_least(1, 5s);
            BOOST_TEST_REQUIRE(!resumed.data.empty());
            // Within a quarter of the delay after that, nothing more: the next chunk is half a second away.
            const auto soon_after = client.read_at_least(1, 250ms);
            BOOST_TEST(resumed.data.size() + soon_after.data.size() <= 10u, resumed.data.size() + soon_after.data.size()
                                                                                << " bytes at once after the stall");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_log_nobody_reads_never_stops_the_server)
{
    // stderr is a 4 KiB pipe nobody reads (a pager, a stuck log shipper): the log fills
    // it after a few dozen connections. Every fetch is still served; the lines that did
    // not fit are dropped, and once the log is read again it says how many.
    const auto poem = poem_path("small-hours.txt");
    const std::string whole = file_text(poem);
    const std::vector<std::vector<std::string>> servers{
        {program_path("fastpoetry"), poem},
        {program_path("slowpoetry"), "--delay", "0", "--num-bytes", "4096", poem},
        {program_path("slowpoetry"), "--blocking", "--delay", "0", "--num-bytes", "4096", poem},
    };
    for (const auto& argv : servers)
    {
        BOOST_TEST_CONTEXT(argv[0] << " " << argv[1])
        {
            auto server = start_server_process(argv, error_output::unread_pipe);
            int served = 0;
            for (int i = 0; i < 4'000 && served == i; ++i)
            {
                raw_client client(server.port);
                const auto got = client.read_to_eof(10s);
                served += got.eof && got.data == whole ? 1 : 0;
            }
            BOOST_TEST(served == 4'000, "fetch " << served + 1 << " was not served");
            BOOST_TEST(server.process->read_error_pipe("log lines dropped here", 10s),
                       "no count of the dropped lines; the log read: " << server.process->error_text().substr(0, 200));
            server.process->send_signal(SIGTERM);
            BOOST_TEST(server.process->wait(10s) == 0);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
