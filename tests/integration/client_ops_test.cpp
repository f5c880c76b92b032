// The library's client operations, driven with each kind of completion token.
#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/client/get_poem.hpp"
#include "poetry/client/transform_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <optional>
#include <thread>
#include <vector>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// One spelling for all: the operation's outcome, filled by a plain callback.
struct outcome
{
    std::optional<error_code> ec;
    std::string text;
};

outcome
fetch(const address& server, fetch_options options = {})
{
    asio::io_context ctx;
    outcome result;
    async_get_poem(ctx.get_executor(), server, std::move(options), [&](error_code ec, std::string poem) {
        result = {ec, std::move(poem)};
    });
    ctx.run_for(20s);
    BOOST_TEST_REQUIRE(result.ec.has_value(), "the operation never completed");
    return result;
}

outcome
transform(const address& server, std::string name, std::string poem, transform_options options = {})
{
    asio::io_context ctx;
    outcome result;
    async_transform(ctx.get_executor(), server, std::move(name), std::move(poem), options,
                    [&](error_code ec, std::string text) {
                        result = {ec, std::move(text)};
                    });
    ctx.run_for(20s);
    BOOST_TEST_REQUIRE(result.ec.has_value(), "the operation never completed");
    return result;
}

} // namespace

// The same operation yields an awaitable when given use_awaitable.
static_assert(std::is_same_v<decltype(async_get_poem(std::declval<asio::any_io_executor>(), address{}, fetch_options{},
                                                     asio::use_awaitable)),
                             asio::awaitable<std::string>>);
static_assert(std::is_same_v<decltype(async_transform(std::declval<asio::any_io_executor>(), address{}, "", "",
                                                      transform_options{}, asio::use_awaitable)),
                             asio::awaitable<std::string>>);

BOOST_AUTO_TEST_SUITE(client_ops)

BOOST_AUTO_TEST_CASE(get_poem_with_a_callback)
{
    auto server = start_fast_server("A poem with ünïcödé.\n");
    const auto got = fetch(server->addr());
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.text == "A poem with ünïcödé.\n");
}

BOOST_AUTO_TEST_CASE(get_poem_with_a_coroutine)
{
    auto server = start_fast_server("Coroutines are callbacks.\n");
    asio::io_context ctx;
    std::string poem;
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
            poem = co_await async_get_poem(co_await asio::this_coro::executor, server->addr(), {}, asio::use_awaitable);
        },
        [](std::exception_ptr e) {
            if (e)
                std::rethrow_exception(e);
        });
    ctx.run_for(20s);
    BOOST_TEST(poem == "Coroutines are callbacks.\n");
}

BOOST_AUTO_TEST_CASE(get_poem_resolves_host_names)
{
    auto server = start_fast_server("by name\n");
    const auto got = fetch({"localhost", server->port()});
    BOOST_TEST(!*got.ec, got.ec->message());
    BOOST_TEST(got.text == "by name\n");
}

BOOST_AUTO_TEST_CASE(get_poem_refused)
{
    const auto got = fetch({"127.0.0.1", closed_port()});
    BOOST_TEST((*got.ec == asio::error::connection_refused));
}

BOOST_AUTO_TEST_CASE(get_poem_times_out_on_silence)
{
    auto server = start_hung_server();
    fetch_options options;
    options.idle_timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    const auto got = fetch(server->addr(), options);
    BOOST_TEST((*got.ec == make_error_code(errc::idle_timeout)));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 190ms));
}

BOOST_AUTO_TEST_CASE(get_poem_timeout_is_on_silence_not_total_time)
{
    // 12 chunks 60 ms apart: 660 ms in all, never silent for 200 ms.
    auto server = start_slow_server(std::string(120, 's'), 10, 60ms);
    fetch_options options;
    options.idle_timeout = 200ms;
    std::size_t progress_bytes = 0;
    options.on_bytes = [&](std::size_t n) { progress_bytes += n; };
    const auto got = fetch(server->addr(), options);
    BOOST_TEST(!*got.ec, got.ec->message());
    BOOST_TEST(got.text.size() == 120u);
    BOOST_TEST(progress_bytes == 120u);
}

BOOST_AUTO_TEST_CASE(get_poem_size_cap)
{
    auto server = start_fast_server(std::string(100'000, 'b'));
    fetch_options options;
    options.max_size = 50'000;
    BOOST_TEST((*fetch(server->addr(), options).ec == make_error_code(errc::poem_too_large)));
}

BOOST_AUTO_TEST_CASE(get_poem_buffer_never_passes_its_limit_by_more_than_a_read)
{
    // The server has far more than the limit: the buffer stops at the limit plus one read.
    auto server = start_fast_server(std::string(8 * 1024 * 1024, 'b'));
    for (const std::size_t limit : {1'000'000u, 1'048'576u, 3'000'000u})
    {
        BOOST_TEST_CONTEXT("limit " << limit)
        {
            fetch_options options;
            options.max_size = limit;
            const auto got = fetch(server->addr(), options);
            BOOST_TEST((*got.ec == make_error_code(errc::poem_too_large)));
            BOOST_TEST(got.text.size() == limit + 1);
            BOOST_TEST(got.text.capacity() <= limit + 64 * 1024, "capacity " << got.text.capacity());
        }
    }
}

BOOST_AUTO_TEST_CASE(downloads_share_one_total_budget)
{
    const std::string poem(2 * 1024 * 1024, 'b');
    auto server = start_fast_server(poem);
    fetch_options options;
    options.total = std::make_shared<byte_budget>(5 * 1024 * 1024);

    // One 2 MiB download fits 5 MiB, and keeps its share: the program holds the poem now.
    const auto alone = fetch(server->addr(), options);
    BOOST_TEST(!*alone.ec, alone.ec->message());
    BOOST_TEST((alone.text == poem));
    BOOST_TEST(options.total->in_use() == alone.text.capacity());

    // Two more at once do not fit beside it: they fail, and a failure gives its share back.
    asio::io_context ctx;
    std::vector<error_code> outcomes;
    for (int i = 0; i < 2; ++i)
        async_get_poem(ctx.get_executor(), server->addr(), options,
                       [&](error_code ec, std::string) { outcomes.push_back(ec); });
    ctx.run_for(20s);
    BOOST_TEST_REQUIRE(outcomes.size() == 2u);
    for (const auto& ec : outcomes)
        BOOST_TEST((ec == make_error_code(errc::downloads_too_large)), ec.message());
    BOOST_TEST(options.total->in_use() == alone.text.capacity());
}

BOOST_AUTO_TEST_CASE(total_budget_counts_the_bytes_received_not_the_room_to_read)
{
    // --max-total N takes any poem of up to N bytes, however its buffer grows; one byte more fails.
    struct row
    {
        std::size_t poem;
        std::size_t total;
        bool fits;
    };
    for (const row r :
         {row{512, 1000, true}, row{600, 1000, true}, row{1000, 1000, true}, row{1001, 1000, false},
          row{600'000, 1'000'000, true}, row{1'000'000, 1'000'000, true}, row{1'000'001, 1'000'000, false}})
    {
        BOOST_TEST_CONTEXT("a poem of " << r.poem << " bytes, a total of " << r.total)
        {
            auto server = start_fast_server(std::string(r.poem, 'm'));
            fetch_options options;
            options.total = std::make_shared<byte_budget>(r.total);
            const auto got = fetch(server->addr(), options);
            if (r.fits)
            {
                BOOST_TEST(!*got.ec, got.ec->message());
                BOOST_TEST(got.text.size() == r.poem);
            }
            else
                BOOST_TEST((*got.ec == make_error_code(errc::downloads_too_large)), got.ec->message());
            BOOST_TEST(options.total->in_use() <= r.total);
        }
    }
}

BOOST_AUTO_TEST_CASE(two_hundred_downloads_at_once_take_about_one_poem)
{
    const std::string poem(100, 'p'); // 10 chunks, 9 pauses of 40 ms: 360 ms
    auto server = start_slow_server(poem, 10, 40ms);
    asio::io_context ctx;
    int good = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i)
        async_get_poem(ctx.get_executor(), server->addr(), {},
                       [&](error_code ec, std::string got) { good += (!ec && got == poem) ? 1 : 0; });
    ctx.run_for(30s);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(good == 200);
    BOOST_TEST((took < 360ms * 2 + 1s));
}

BOOST_AUTO_TEST_CASE(transform_round_trip)
{
    auto server = start_transform_server();
    const auto got = transform(server->addr(), "cummingsify", "HERE IS MY POEM");
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.text == "here is my poem");
}

BOOST_AUTO_TEST_CASE(transform_with_as_tuple_and_a_coroutine)
{
    auto server = start_transform_server();
    asio::io_context ctx;
    error_code ec = asio::error::would_block;
    std::string text;
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
            std::tie(ec, text) =
                co_await async_transform(co_await asio::this_coro::executor, server->addr(), "cummingsify", "ΟΔΟΣ", {},
                                         asio::as_tuple(asio::use_awaitable));
        },
        [](std::exception_ptr e) {
            if (e)
                std::rethrow_exception(e);
        });
    ctx.run_for(20s);
    BOOST_TEST(!ec);
    BOOST_TEST(text == "οδος");
}

BOOST_AUTO_TEST_CASE(transform_refused_by_the_server)
{
    auto server = start_transform_server();
    const auto got = transform(server->addr(), "no-such-transform", "POEM");
    BOOST_TEST((*got.ec == make_error_code(errc::no_reply)), got.ec->message());
}

BOOST_AUTO_TEST_CASE(transform_server_down)
{
    const auto got = transform({"127.0.0.1", closed_port()}, "cummingsify", "POEM");
    BOOST_TEST((*got.ec == asio::error::connection_refused));
}

BOOST_AUTO_TEST_CASE(transform_server_silent)
{
    auto server = start_hung_server();
    transform_options options;
    options.idle_timeout = 200ms;
    const auto got = transform(server->addr(), "cummingsify", "POEM", options);
    BOOST_TEST((*got.ec == make_error_code(errc::idle_timeout)));
}

BOOST_AUTO_TEST_CASE(transform_request_written_slowly_is_progress)
{
    // The server reads 1 MiB every 50 ms: sending 48 MiB takes more than twice the idle
    // timeout, and every write that moves bytes is progress.
    const std::string poem(48 * 1024 * 1024, 'P');
    const std::size_t request_size = netstring_header(12 + poem.size()).size() + 12 + poem.size() + 1;
    scripted_server server([&](tcp::socket& socket, int) {
        std::vector<char> buffer(1024 * 1024);
        for (std::size_t received = 0; received < request_size;)
        {
            error_code ec;
            received +=
                asio::read(socket, asio::buffer(buffer.data(), std::min(buffer.size(), request_size - received)), ec);
            if (ec)
                return;
            std::this_thread::sleep_for(50ms); // the pace of a slow reader, not a synchronisation
        }
        error_code ignored;
        asio::write(socket, asio::buffer(std::string_view("4:done,")), ignored);
    });
    transform_options options;
    options.idle_timeout = 1s;
    const auto got = transform(server.addr(), "cummingsify", poem, options);
    BOOST_TEST(!*got.ec, got.ec->message());
    BOOST_TEST(got.text == "done");
}

BOOST_AUTO_TEST_CASE(transform_reply_is_paid_from_the_total_budget)
{
    // A reply of 2 MiB does not fit a total of 1 MiB: the transform fails, and gives its share back.
    scripted_server server([](tcp::socket& socket, int) {
        std::vector<char> request(64);
        error_code ec;
        socket.read_some(asio::buffer(request), ec);
        const std::string reply = netstring_encode(std::string(2 * 1024 * 1024, 'r'));
        asio::write(socket, asio::buffer(reply), ec);
    });
    transform_options options;
    options.total = std::make_shared<byte_budget>(1024 * 1024);
    const auto got = transform(server.addr(), "cummingsify", "A SHORT POEM", options);
    BOOST_TEST((*got.ec == make_error_code(errc::downloads_too_large)), got.ec->message());
    BOOST_TEST(options.total->in_use() == 0u);
}

BOOST_AUTO_TEST_CASE(transform_reply_received_whole_keeps_its_share)
{
    auto server = start_transform_server();
    transform_options options;
    options.total = std::make_shared<byte_budget>(1024 * 1024);
    const auto got = transform(server->addr(), "cummingsify", "KEEP IT: A POEM TOO LONG FOR A SHORT STRING", options);
    BOOST_TEST(!*got.ec);
    BOOST_TEST(got.text == "keep it: a poem too long for a short string");
    BOOST_TEST(options.total->in_use() > 0u, "the caller holds the transformed poem");
}

BOOST_AUTO_TEST_CASE(get_poem_fails_when_the_server_is_full)
{
    auto server = start_fast_server(std::string(8 * 1024 * 1024, 'f'), 1);
    raw_client holder(server->port()); // takes the one slot and does not read its poem
    BOOST_TEST_REQUIRE(server->wait_for_connections(1, 5s));

    const auto got = fetch(server->addr());
    BOOST_TEST((*got.ec == asio::error::connection_reset), got.ec->message());
    BOOST_TEST(got.text.empty());
}

BOOST_AUTO_TEST_SUITE_END()
