// The idle timer: called once after a silence of its timeout, never while touched, held
// or stopped, and never at all with a zero timeout. Each case runs its own event loop,
// bounded by run_for; times are checked only as "not before", which load cannot break.
#include "poetry/io/idle_timer.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <optional>

using namespace std::chrono_literals;
using steady = poetry::clock;
using poetry::idle_timer;

namespace {

// Run `step` every `period`, `count` times, on `ctx`; then stop.
void
every(boost::asio::steady_timer& timer, steady::duration period, int count, std::function<void()> step)
{
    if (count == 0)
        return;
    timer.expires_after(period);
    timer.async_wait([&timer, period, count, step = std::move(step)](boost::system::error_code ec) {
        if (ec)
            return;
        step();
        every(timer, period, count - 1, step);
    });
}

} // namespace

BOOST_AUTO_TEST_SUITE(idle_timer_suite)

BOOST_AUTO_TEST_CASE(a_zero_timeout_watches_nothing)
{
    boost::asio::io_context ctx;
    idle_timer timer(ctx.get_executor());
    bool called = false;
    timer.start(steady::duration::zero(), [&] { called = true; });
    ctx.run_for(5s); // no work: returns at once
    BOOST_TEST(!called);
    BOOST_TEST(!timer.expired());
    BOOST_TEST(ctx.stopped());
}

BOOST_AUTO_TEST_CASE(a_silence_of_the_timeout_calls_the_function_once)
{
    boost::asio::io_context ctx;
    idle_timer timer(ctx.get_executor());
    int calls = 0;
    const auto start = steady::now();
    std::optional<steady::time_point> called_at;
    timer.start(50ms, [&] {
        ++calls;
        called_at = steady::now();
    });
    ctx.run_for(10s);
    BOOST_TEST(calls == 1);
    BOOST_TEST(timer.expired());
    BOOST_TEST_REQUIRE(called_at.has_value());
    BOOST_TEST((*called_at - start >= 50ms));
}

BOOST_AUTO_TEST_CASE(touching_moves_the_deadline_past_the_last_touch)
{
    boost::asio::io_context ctx;
    idle_timer timer(ctx.get_executor());
    boost::asio::steady_timer toucher(ctx);
    steady::time_point last_touch = steady::now();
    std::optional<steady::time_point> called_at;
    int touches = 0;
    timer.start(60ms, [&] { called_at = steady::now(); });
    every(toucher, 20ms, 10, [&] { // 200 ms of progress, more than three timeouts
        timer.touch();
        last_touch = steady::now();
        ++touches;
    });
    ctx.run_for(10s);
    BOOST_TEST(touches == 10);
    BOOST_TEST_REQUIRE(called_at.has_value());
    BOOST_TEST((*called_at - last_touch >= 60ms)); // only a silence after the last touch counts
}

BOOST_AUTO_TEST_CASE(a_held_timer_waits_for_release_then_a_whole_timeout)
{
    boost::asio::io_context ctx;
    idle_timer timer(ctx.get_executor());
    boost::asio::steady_timer releaser(ctx);
    std::optional<steady::time_point> called_at, released_at;
    timer.start(30ms, [&] { called_at = steady::now(); });
    timer.hold();                  // a request queued for a worker: not the peer's silence
    releaser.expires_after(150ms); // five timeouts held
    releaser.async_wait([&](boost::system::error_code) {
        BOOST_TEST(!called_at.has_value()); // held: never called
        timer.release();
        released_at = steady::now();
    });
    ctx.run_for(10s);
    BOOST_TEST_REQUIRE(released_at.has_value());
    BOOST_TEST_REQUIRE(called_at.has_value());
    BOOST_TEST((*called_at - *released_at >= 30ms));
}

BOOST_AUTO_TEST_CASE(a_stopped_timer_ends_its_wait_at_once_and_never_calls)
{
    boost::asio::io_context ctx;
    idle_timer timer(ctx.get_executor());
    bool called = false;
    timer.start(1h, [&] { called = true; });
    timer.stop();
    const auto start = steady::now();
    ctx.run_for(10s); // the cancelled wait completes: the loop runs out of work
    BOOST_TEST((steady::now() - start < 5s));
    BOOST_TEST(!called);
    BOOST_TEST(!timer.expired());
}

BOOST_AUTO_TEST_SUITE_END()
