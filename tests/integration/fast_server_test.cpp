#include "background_server.hpp"
#include "raw_client.hpp"

#include "common/resources.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cerrno>
#include <memory>
#include <random>
#include <thread>
#include <vector>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

std::string
random_bytes(std::size_t size, unsigned seed)
{
    std::mt19937 random(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes)
        c = static_cast<char>(random());
    return bytes;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fast_server)

BOOST_AUTO_TEST_CASE(serves_exact_bytes_then_eof)
{
    const std::vector<std::pair<const char*, std::string>> poems{
        {"empty poem", ""},
        {"653-byte poem", std::string(653, 'p')},
        {"5 MiB binary poem", random_bytes(5 * 1024 * 1024, 1)},
    };
    for (const bool sendfile : {true, false})
        for (const auto& [name, poem] : poems)
        {
            BOOST_TEST_CONTEXT(name << (sendfile ? ", sendfile" : ", sent as copies"))
            {
                auto server = start_fast_server(poem, 10'000, 60s, sendfile);
                raw_client client(server->port());
                const auto got = client.read_to_eof(10s);
                BOOST_TEST(got.eof);
                BOOST_TEST(got.error == 0);
                BOOST_TEST(got.data.size() == poem.size());
                BOOST_TEST((got.data == poem));
            }
        }
}

BOOST_AUTO_TEST_CASE(a_fast_reader_of_a_long_poem_does_not_hold_the_loop)
{
    // A client whose receive buffer takes the whole 64 MiB poem at once (as a reader faster
    // than the server would): the server never has to wait for it, and must still take
    // turns, so a second client is served while most of the poem is still to go.
    constexpr int size = 64 * 1024 * 1024;
    auto server = start_fast_server(std::string(size, 'L'));
    raw_client greedy(server->port(), "127.0.0.1", 2 * size);
    BOOST_TEST_REQUIRE(greedy.wait_readable(10s));
    raw_client second(server->port());
    BOOST_TEST(!second.read_at_least(1, 10s).data.empty());
    // Not all of it: the loop took turns. (How much is a matter of scheduling; the turns
    // themselves are counted in turns_test.)
    const std::size_t then = greedy.bytes_waiting();
    BOOST_TEST(then < std::size_t{size}, then << " bytes sent to the first client before the second got one");
    std::atomic<std::size_t> counted = 0;
    BOOST_TEST(greedy.count_to_eof(counted, 30s));
    BOOST_TEST(counted == std::size_t{size});
}

BOOST_AUTO_TEST_CASE(silent_client_is_closed_without_lingering)
{
    // A client that sent nothing cannot be reset by a plain close: the server
    // closes as soon as the poem is written, even while the client keeps its end open.
    auto server = start_fast_server(std::string(653, 'p'));
    raw_client client(server->port());
    const auto got = client.read_to_eof(10s);
    BOOST_TEST((got.eof && got.data.size() == 653u));
    BOOST_TEST(server->wait_for_connections(0, 5s), "the server still holds the connection");
}

BOOST_AUTO_TEST_CASE(client_that_sent_bytes_before_a_short_poem_gets_it_whole)
{
    // The server finds the bytes unread and lingers instead of resetting the connection.
    // The clients connect and send before the server accepts, so that their bytes are
    // surely there first. (Bytes that come after a short poem's plain close draw a reset:
    // nothing a server that does not read can help.)
    const std::string poem(653, 's');
    auto server = start_fast_server(poem, 10'000, 60s, true, serving::on_start);
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 20; ++i)
    {
        clients.push_back(std::make_unique<raw_client>(server->port()));
        clients.back()->send("GET / HTTP/1.0\r\n\r\n");
    }
    server->start();
    for (auto& client : clients)
    {
        const auto got = client->read_to_eof(10s);
        BOOST_TEST(got.eof);
        BOOST_TEST(got.error == 0);
        BOOST_TEST((got.data == poem));
    }
}

BOOST_AUTO_TEST_CASE(client_that_sent_bytes_still_gets_every_byte)
{
    // Closing with unread input would send a reset that can destroy the poem in flight.
    const std::string poem = random_bytes(300 * 1024, 2);
    auto server = start_fast_server(poem);
    for (int i = 0; i < 5; ++i)
    {
        raw_client client(server->port());
        client.send("hello, server, you will never read this\r\n");
        const auto got = client.read_to_eof(10s);
        BOOST_TEST(got.eof);
        BOOST_TEST(got.error == 0);
        BOOST_TEST((got.data == poem));
    }
}

BOOST_AUTO_TEST_CASE(client_that_never_reads_does_not_stall_others)
{
    const std::string poem = random_bytes(4 * 1024 * 1024, 3);
    auto server = start_fast_server(poem);
    raw_client stuck(server->port()); // never reads: its socket buffers fill up
    // The server has accepted it and is waiting for it to read.
    raw_client reader(server->port());
    const auto got = reader.read_to_eof(10s);
    BOOST_TEST(got.eof);
    BOOST_TEST((got.data == poem));
    BOOST_TEST(server->connections() >= 1u);
}

BOOST_AUTO_TEST_CASE(write_timeout_drops_a_client_that_never_reads)
{
    auto server = start_fast_server(random_bytes(8 * 1024 * 1024, 4), 10'000, 200ms);
    raw_client stuck(server->port());
    // Read a little so that the server is surely in its write loop, then stop reading.
    BOOST_TEST(stuck.read_at_least(1, 5s).data.size() >= 1u);
    BOOST_TEST(server->wait_for_connections(0, 10s), "the silent reader was never dropped");
}

BOOST_AUTO_TEST_CASE(connection_cap_resets_extra_connections)
{
    auto server = start_fast_server(random_bytes(8 * 1024 * 1024, 5), 1);
    raw_client first(server->port()); // holds the one slot: it does not read its 8 MiB
    BOOST_TEST(first.read_at_least(1, 5s).data.size() >= 1u);

    // A refusal must not look like an empty poem: a reset, never an end-of-file.
    raw_client extra(server->port());
    const auto got = extra.read_to_eof(5s);
    BOOST_TEST(!got.eof);
    BOOST_TEST(got.error == ECONNRESET);
    BOOST_TEST(got.data.empty());
    BOOST_TEST(server->connections() == 1u);
}

BOOST_AUTO_TEST_CASE(burst_of_a_thousand_connections_is_never_stranded)
{
    // Both ends live in this process: two descriptors per connection.
    poetry::raise_open_file_limit();

    const std::string poem(653, 'q');
    auto server = start_fast_server(poem);
    // Connect all before reading any: with a small backlog some would wait in the kernel's queue.
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 1000; ++i)
        clients.push_back(std::make_unique<raw_client>(server->port()));
    int served = 0;
    for (auto& client : clients)
    {
        const auto got = client->read_to_eof(10s);
        served += (got.eof && got.data == poem) ? 1 : 0;
    }
    BOOST_TEST(served == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
