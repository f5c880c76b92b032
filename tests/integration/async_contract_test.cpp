// Asio's contract, for every public asynchronous operation of the library: it takes
// any completion token (a callback, use_awaitable), completes through the handler's
// associated executor with work counted there, and never inside the initiating call.
#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/client/get_poem.hpp"
#include "poetry/client/transform_client.hpp"
#include "poetry/io/netstring_io.hpp"
#include "poetry/server/drip.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <future>
#include <thread>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// Each fixture sets up one operation on `ctx`: start(token) initiates it, and
// verify(args...) checks what it completed with.

struct get_poem_op
{
    explicit get_poem_op(asio::io_context& context)
        : ctx(context)
    {
    }
    template <typename Token>
    auto start(Token&& token)
    {
        return async_get_poem(ctx.get_executor(), server->addr(), {}, std::forward<Token>(token));
    }
    void verify(error_code ec, const std::string& poem) const
    {
        BOOST_TEST(!ec, ec.message());
        BOOST_TEST(poem == "Let the rain fall soft\n");
    }

    asio::io_context& ctx;
    std::unique_ptr<background_server> server = start_fast_server("Let the rain fall soft\n");
};

struct transform_op
{
    explicit transform_op(asio::io_context& context)
        : ctx(context)
    {
    }
    template <typename Token>
    auto start(Token&& token)
    {
        return async_transform(ctx.get_executor(), server->addr(), "cummingsify", "Small Rain", {},
                               std::forward<Token>(token));
    }
    void verify(error_code ec, const std::string& transformed) const
    {
        BOOST_TEST(!ec, ec.message());
        BOOST_TEST(transformed == "small rain");
    }

    asio::io_context& ctx;
    std::unique_ptr<background_server> server = start_transform_server();
};

// A connected pair on loopback: `socket` is ours, `peer` the other end.
struct socket_pair
{
    explicit socket_pair(asio::io_context& ctx)
        : acceptor(ctx, {asio::ip::make_address("127.0.0.1"), 0})
        , peer(ctx)
        , socket(ctx)
    {
        peer.connect(acceptor.local_endpoint());
        socket = acceptor.accept();
    }
    tcp::acceptor acceptor;
    tcp::socket peer;
    tcp::socket socket;
};

struct read_netstring_op
{
    explicit read_netstring_op(asio::io_context& ctx)
        : sockets(ctx)
        , progress(ctx.get_executor())
    {
        asio::write(sockets.peer, asio::buffer(std::string_view("12:Western wind,")));
    }
    template <typename Token>
    auto start(Token&& token)
    {
        return async_read_netstring(sockets.socket, decoder, asio::buffer(buffer), progress,
                                    std::forward<Token>(token));
    }
    void verify(error_code ec) const
    {
        BOOST_TEST(!ec, ec.message());
        BOOST_TEST(decoder.payload() == "Western wind");
    }

    socket_pair sockets;
    idle_timer progress;
    netstring_decoder decoder;
    std::array<char, 64> buffer{};
};

struct drip_op
{
    explicit drip_op(asio::io_context& ctx)
        : sockets(ctx)
        , progress(ctx.get_executor())
    {
    }
    template <typename Token>
    auto start(Token&& token)
    {
        drip_options options;
        options.chunk_size = 4;
        options.delay = 1ms;
        return async_drip_poem(sockets.socket, progress, poem, options, std::forward<Token>(token));
    }
    void verify(error_code ec, std::size_t sent) const
    {
        BOOST_TEST(!ec, ec.message());
        BOOST_TEST(sent == poem.size());
    }

    socket_pair sockets;
    idle_timer progress;
    std::string poem = "when will you return";
};

// A drip of an empty poem is done before it starts: it must still complete later.
struct empty_drip_op : drip_op
{
    explicit empty_drip_op(asio::io_context& ctx)
        : drip_op(ctx)
    {
        poem.clear();
    }
};

using operations = std::tuple<get_poem_op, transform_op, read_netstring_op, drip_op, empty_drip_op>;

} // namespace

BOOST_AUTO_TEST_SUITE(async_contract)

BOOST_AUTO_TEST_CASE_TEMPLATE(a_callback_runs_on_the_io_context_after_the_initiating_call, op, operations)
{
    asio::io_context ctx;
    op fixture(ctx);
    bool initiated = false;
    int calls = 0;
    fixture.start([&](auto... results) {
        ++calls;
        BOOST_TEST(initiated, "completed inside the initiating call");
        BOOST_TEST(ctx.get_executor().running_in_this_thread());
        fixture.verify(results...);
    });
    initiated = true;
    ctx.run_for(20s);
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(use_awaitable_makes_it_an_awaitable, op, operations)
{
    asio::io_context ctx;
    op fixture(ctx);
    bool resumed = false;
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
            auto results = co_await fixture.start(asio::as_tuple(asio::use_awaitable));
            std::apply([&](auto... r) { fixture.verify(r...); }, results);
            resumed = true;
        },
        asio::detached);
    ctx.run_for(20s);
    BOOST_TEST(resumed);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(a_handler_bound_to_a_thread_pool_runs_there_with_work_counted, op, operations)
{
    asio::io_context ctx;
    op fixture(ctx);
    asio::thread_pool pool(1);
    std::atomic<bool> initiated = false;
    std::atomic<int> calls = 0;
    fixture.start(asio::bind_executor(pool, [&](auto... results) {
        BOOST_TEST(initiated.load(), "completed inside the initiating call");
        BOOST_TEST(pool.get_executor().running_in_this_thread());
        fixture.verify(results...);
        ++calls;
    }));
    initiated = true;
    std::thread loop([&] { ctx.run_for(20s); });
    // join() returns once the pool has no work: only the operation's work guard keeps it
    // from returning before the handler has run.
    auto joined = std::async(std::launch::async, [&] { pool.join(); });
    if (joined.wait_for(20s) != std::future_status::ready)
    {
        BOOST_TEST(false, "the pool's work never ended");
        pool.stop();
    }
    joined.wait();
    BOOST_TEST(calls.load() == 1);
    ctx.stop();
    loop.join();
}

BOOST_AUTO_TEST_SUITE_END()
