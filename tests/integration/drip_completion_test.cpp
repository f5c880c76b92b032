// The drip has exactly one way to complete, whatever order a cancellation, a closed
// socket, the schedule and a wait for room arrive in.
#include "poetry/server/drip.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace poetry;
using namespace std::chrono_literals;

namespace {

// Where the drip is when the test acts on it.
enum class where
{
    due_in_schedule,  // a small chunk went out; the next is due in 10 s
    waiting_for_room, // a chunk larger than the socket's buffers, never read
};

// What the test does to it, in order.
enum class action
{
    cancel,
    close_socket,
};

// A drip on a loopback connection whose peer never reads.
struct drip_fixture
{
    explicit drip_fixture(where at)
        : acceptor(ctx, {asio::ip::make_address("127.0.0.1"), 0})
        , peer(ctx)
        , socket(ctx)
        , progress(ctx.get_executor())
    {
        peer.open(tcp::v4());
        peer.set_option(asio::socket_base::receive_buffer_size(4096));
        peer.connect(acceptor.local_endpoint());
        socket = acceptor.accept();
        socket.set_option(asio::socket_base::send_buffer_size(4096));
        if (at == where::due_in_schedule)
        {
            poem.assign(100, 'd');
            options.chunk_size = 10;
            options.delay = 10s;
        }
        else
        {
            poem.assign(8 * 1024 * 1024, 'w'); // one chunk, far beyond both buffers
            options.chunk_size = poem.size();
            options.delay = 1ms;
        }
    }

    // Start the drip; the handler counts its calls.
    void start()
    {
        async_drip_poem(socket, progress, poem, options,
                        asio::bind_cancellation_slot(cancel.slot(), [this](error_code ec, std::size_t sent) {
                            ++calls;
                            result = ec;
                            bytes = sent;
                        }));
    }

    void act(action a)
    {
        if (a == action::cancel)
            cancel.emit(asio::cancellation_type::terminal);
        else
            socket.close();
    }

    asio::io_context ctx;
    tcp::acceptor acceptor;
    tcp::socket peer;
    tcp::socket socket;
    idle_timer progress;
    std::string poem;
    drip_options options;
    asio::cancellation_signal cancel;
    int calls = 0;
    error_code result;
    std::size_t bytes = 0;
};

struct order_case
{
    const char* name;
    where at;
    std::vector<action> actions;
};

const std::vector<order_case> orders{
    {"due, cancelled", where::due_in_schedule, {action::cancel}},
    {"due, socket closed, then cancelled", where::due_in_schedule, {action::close_socket, action::cancel}},
    {"due, cancelled, then socket closed", where::due_in_schedule, {action::cancel, action::close_socket}},
    {"due, cancelled twice", where::due_in_schedule, {action::cancel, action::cancel}},
    {"waiting, cancelled", where::waiting_for_room, {action::cancel}},
    {"waiting, socket closed", where::waiting_for_room, {action::close_socket}},
    {"waiting, socket closed, then cancelled", where::waiting_for_room, {action::close_socket, action::cancel}},
    {"waiting, cancelled, then socket closed", where::waiting_for_room, {action::cancel, action::close_socket}},
    {"waiting, cancelled twice", where::waiting_for_room, {action::cancel, action::cancel}},
};

} // namespace

BOOST_AUTO_TEST_SUITE(drip_completion)

BOOST_AUTO_TEST_CASE(every_order_of_cancel_and_close_completes_once_and_at_once)
{
    for (const auto& order : orders)
    {
        BOOST_TEST_CONTEXT(order.name)
        {
            drip_fixture drip(order.at);
            drip.start();
            // The handler never runs inside the initiating call: the drip is now where the case says.
            BOOST_TEST(drip.calls == 0);
            for (const auto a : order.actions)
                drip.act(a);
            // Before the next chunk is due (10 s) or any room appears: at once, and once.
            drip.ctx.run_for(5s);
            BOOST_TEST(drip.ctx.stopped(), "work left behind: the drip did not end");
            BOOST_TEST(drip.calls == 1);
            BOOST_TEST(drip.result == asio::error::operation_aborted, drip.result.message());
            BOOST_TEST(drip.bytes < drip.poem.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(acting_after_the_poem_went_out_changes_nothing)
{
    for (const auto a : {action::cancel, action::close_socket})
    {
        drip_fixture drip(where::due_in_schedule);
        drip.options.delay = 0ms;
        drip.start();
        while (drip.calls == 0 && drip.ctx.run_one_for(5s) > 0)
        {
        }
        BOOST_REQUIRE(drip.calls == 1);
        drip.act(a);
        drip.ctx.restart();
        drip.ctx.run_for(5s);
        BOOST_TEST(drip.ctx.stopped());
        BOOST_TEST(drip.calls == 1);
        BOOST_TEST(!drip.result, drip.result.message());
        BOOST_TEST(drip.bytes == drip.poem.size());
    }
}

BOOST_AUTO_TEST_CASE(closing_the_socket_ends_a_drip_due_later_at_that_chunk)
{
    // Without a cancellation, a closed socket is noticed when the next chunk is due.
    drip_fixture drip(where::due_in_schedule);
    drip.options.delay = 50ms;
    drip.start();
    drip.act(action::close_socket);
    drip.ctx.run_for(5s);
    BOOST_TEST(drip.ctx.stopped());
    BOOST_TEST(drip.calls == 1);
    BOOST_TEST(drip.result == asio::error::operation_aborted, drip.result.message());
    BOOST_TEST(drip.bytes == 10u);
}

BOOST_AUTO_TEST_SUITE_END()
