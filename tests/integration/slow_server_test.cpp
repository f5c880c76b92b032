#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/client/get_poem.hpp"
#include "poetry/server/drip.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <memory>
#include <vector>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(slow_server)

BOOST_AUTO_TEST_CASE(first_chunk_is_num_bytes_and_poem_is_exact)
{
    const std::string poem = "abcdefghijklmnopqrstuvwxyz0123456789"; // 36 bytes: chunks 10, 10, 10, 6
    auto server = start_slow_server(poem, 10, 100ms);
    raw_client client(server->port());
    // The first chunk goes out at once, the next one 100 ms later.
    const auto first = client.read_at_least(1, 5s);
    BOOST_TEST(first.data == poem.substr(0, 10));
    const auto rest = client.read_to_eof(5s);
    BOOST_TEST(rest.eof);
    BOOST_TEST(first.data + rest.data == poem);
}

BOOST_AUTO_TEST_CASE(duration_follows_the_schedule)
{
    const std::string poem(100, 'x'); // 10 chunks, 9 pauses of 30 ms
    auto server = start_slow_server(poem, 10, 30ms);
    const auto start = std::chrono::steady_clock::now();
    raw_client client(server->port());
    const auto got = client.read_to_eof(10s);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(got.data == poem);
    BOOST_TEST((took >= 270ms));
    BOOST_TEST(took < 270ms + 2s); // generous: a shared machine
}

BOOST_AUTO_TEST_CASE(five_clients_at_once_take_about_one_poem)
{
    const std::string poem(200, 'y'); // 20 chunks, 19 pauses of 20 ms: 380 ms
    auto server = start_slow_server(poem, 10, 20ms);
    asio::io_context ctx;
    int finished = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i)
        async_get_poem(ctx.get_executor(), server->addr(), {}, [&](error_code ec, std::string got) {
            BOOST_TEST(!ec);
            BOOST_TEST(got == poem);
            ++finished;
        });
    ctx.run_for(20s);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(finished == 5);
    BOOST_TEST((took >= 380ms));
    // One at a time would take five poems (1.9 s).
    BOOST_TEST((took < 2 * 380ms + 500ms));
}

BOOST_AUTO_TEST_CASE(delay_zero_and_empty_poem)
{
    {
        const std::string poem(1000, 'z');
        auto server = start_slow_server(poem, 7, 0ms);
        raw_client client(server->port());
        BOOST_TEST(client.read_to_eof(5s).data == poem);
    }
    {
        auto server = start_slow_server("", 10, 1s);
        raw_client client(server->port());
        const auto got = client.read_to_eof(5s);
        BOOST_TEST(got.eof);
        BOOST_TEST(got.data.empty());
    }
}

BOOST_AUTO_TEST_CASE(chunks_larger_than_the_socket_buffer_arrive_whole)
{
    // 1 MiB chunks do not fit a socket's buffer: each waits for room, then rejoins the schedule.
    std::string poem(3 * 1024 * 1024 + 5, '\0');
    for (std::size_t i = 0; i < poem.size(); ++i)
        poem[i] = static_cast<char>('a' + i % 23);
    auto server = start_slow_server(poem, 1024 * 1024, 10ms);
    raw_client client(server->port());
    const auto got = client.read_to_eof(10s);
    BOOST_TEST(got.eof);
    BOOST_TEST((got.data == poem));
}

BOOST_AUTO_TEST_CASE(clients_of_one_loop_drip_from_one_schedule)
{
    // Many clients at once, started at different moments: each gets its poem, on time.
    const std::string poem(50, 'm'); // 5 chunks, 4 pauses of 20 ms
    auto server = start_slow_server(poem, 10, 20ms);
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 50; ++i)
        clients.push_back(std::make_unique<raw_client>(server->port()));
    const auto start = std::chrono::steady_clock::now();
    for (auto& client : clients)
        BOOST_TEST(client->read_to_eof(10s).data == poem);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
}

BOOST_AUTO_TEST_CASE(client_that_goes_away_is_dropped_at_once)
{
    auto server = start_slow_server(std::string(100, 'w'), 10, 30s); // the second chunk is 30 s away
    raw_client stays(server->port());
    {
        raw_client leaves(server->port());
        BOOST_TEST(leaves.read_at_least(10, 5s).data.size() == 10u);
        BOOST_TEST(server->wait_for_connections(2, 5s));
        leaves.reset();
    }
    // Long before the next chunk is due, the server has let the client go.
    BOOST_TEST(server->wait_for_connections(1, 5s));
    BOOST_TEST(stays.read_at_least(10, 5s).data.size() == 10u);
}

// Every way a client can leave a drip, each noticed long before the next chunk (30 s away):
// its slot is free at once. (A client that half-closed, read what it was sent and then
// closed says nothing more on the wire: its leaving shows at the next chunk, as the reset
// that chunk draws.)
BOOST_AUTO_TEST_CASE(client_that_closes_before_its_first_chunk_is_dropped_at_once)
{
    // Its end-of-file arrives first, then its close: the first chunk draws a reset (or,
    // if the chunk came before the close, the close sends one), as a client that closed
    // while it waited to be accepted does.
    auto server = start_slow_server(std::string(100, 'c'), 1, 30s);
    raw_client stays(server->port());
    BOOST_TEST_REQUIRE(stays.read_at_least(1, 5s).data.size() == 1u);
    {
        raw_client leaves(server->port());
        leaves.shutdown_send();
    }
    BOOST_TEST(server->wait_for_accepted(2, 5s));
    BOOST_TEST(server->wait_for_connections(1, 5s));
}

BOOST_AUTO_TEST_CASE(client_that_half_closes_then_closes_with_a_chunk_unread_is_dropped_at_once)
{
    auto server = start_slow_server(std::string(100, 'u'), 1, 30s);
    raw_client stays(server->port());
    BOOST_TEST_REQUIRE(stays.read_at_least(1, 5s).data.size() == 1u);
    {
        raw_client leaves(server->port());
        leaves.shutdown_send();
        BOOST_TEST_REQUIRE(leaves.wait_readable(5s)); // its first chunk is there, unread
        BOOST_TEST(server->wait_for_connections(2, 5s));
    } // closing with a byte unread resets the connection
    BOOST_TEST(server->wait_for_connections(1, 5s));
}

BOOST_AUTO_TEST_CASE(client_that_closes_with_a_chunk_unread_is_dropped_at_once)
{
    auto server = start_slow_server(std::string(100, 'r'), 1, 30s);
    raw_client stays(server->port());
    BOOST_TEST_REQUIRE(stays.read_at_least(1, 5s).data.size() == 1u);
    {
        raw_client leaves(server->port());
        BOOST_TEST_REQUIRE(leaves.wait_readable(5s));
        BOOST_TEST(server->wait_for_connections(2, 5s));
    }
    BOOST_TEST(server->wait_for_connections(1, 5s));
}

BOOST_AUTO_TEST_CASE(client_that_only_stops_sending_gets_the_whole_poem)
{
    // End-of-file from a client says it sends nothing more, not that it stopped reading.
    const std::string poem(100, 'h');
    auto server = start_slow_server(poem, 10, 10ms);
    raw_client client(server->port());
    client.shutdown_send();
    const auto got = client.read_to_eof(10s);
    BOOST_TEST(got.eof);
    BOOST_TEST(got.data == poem);
}

BOOST_AUTO_TEST_SUITE_END()
