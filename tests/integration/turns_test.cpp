// A long request read, or a long reply sent, takes turns with the rest of its event loop:
// a short request on the same loop never waits for a long one's megabytes (issue 27,
// item 15). Each test counts how often a handler that re-posts itself runs while the
// operation moves bytes that are all ready at once.
#include "poetry/io/netstring_io.hpp"
#include "socket/send_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

using namespace poetry;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t long_payload = 2 * 1024 * 1024;

// Past net.core.{r,w}mem_max where the test may (as root): all of a long payload fits
// the buffers between the two ends, so every read or send finds a full turn's worth.
void
make_room(tcp::socket& socket, int option, int force_option)
{
    const int bytes = 16 * 1024 * 1024;
    if (::setsockopt(socket.native_handle(), SOL_SOCKET, force_option, &bytes, sizeof bytes) != 0)
        ::setsockopt(socket.native_handle(), SOL_SOCKET, option, &bytes, sizeof bytes);
}

// A connected pair on loopback with room for a long payload in flight: `sender` writes,
// `receiver` reads.
struct roomy_pair
{
    roomy_pair()
        : acceptor(ctx, {asio::ip::make_address("127.0.0.1"), 0})
        , sender(ctx)
        , receiver(ctx)
    {
        receiver.open(tcp::v4());
        make_room(receiver, SO_RCVBUF, SO_RCVBUFFORCE);
        receiver.connect(acceptor.local_endpoint());
        sender = acceptor.accept();
        make_room(sender, SO_SNDBUF, SO_SNDBUFFORCE);
    }

    // Run the loop until `done`, with a handler that counts its runs meanwhile.
    std::size_t turns_until(const std::optional<error_code>& done)
    {
        std::size_t turns = 0;
        std::function<void()> other_work = [&] {
            if (done)
                return;
            ++turns;
            asio::post(ctx, other_work);
        };
        asio::post(ctx, other_work);
        ctx.run_for(30s);
        return turns;
    }

    asio::io_context ctx;
    tcp::acceptor acceptor;
    tcp::socket sender;
    tcp::socket receiver;
};

} // namespace

BOOST_AUTO_TEST_SUITE(turns)

BOOST_AUTO_TEST_CASE(a_long_request_is_read_a_turn_at_a_time)
{
    roomy_pair pair;
    const std::string payload(long_payload, 'R');
    const std::string request = std::to_string(payload.size()) + ":" + payload + ",";
    pair.sender.non_blocking(true);
    error_code write_ec;
    asio::write(pair.sender, asio::buffer(request), write_ec);
    BOOST_TEST_REQUIRE(!write_ec, "the request does not fit the buffers (run as root): " << write_ec.message());
    // On loopback the bytes are in the receiver's queue once written; wait for the last.
    for (int i = 0; i < 1000 && pair.receiver.available() < request.size(); ++i)
        std::this_thread::sleep_for(10ms);
    BOOST_TEST_REQUIRE(pair.receiver.available() == request.size());

    netstring_decoder request_read;
    std::array<char, 64> buffer{};
    idle_timer progress(pair.ctx.get_executor());
    std::optional<error_code> done;
    async_read_netstring(pair.receiver, request_read, asio::buffer(buffer), progress,
                         [&](error_code ec) { done = ec; });
    const std::size_t turns = pair.turns_until(done);

    BOOST_TEST_REQUIRE(done.has_value());
    BOOST_TEST(!*done, done->message());
    BOOST_TEST(request_read.payload() == payload);
    // Other work between reads of a turn's worth each (none before the first or after the last).
    BOOST_TEST(turns >= long_payload / netstring_read_turn - 2, turns << " turns of other work");
}

BOOST_AUTO_TEST_CASE(a_long_reply_is_sent_a_turn_at_a_time)
{
    roomy_pair pair;
    const std::string reply(long_payload, 'S');
    constexpr std::size_t turn = 64 * 1024;
    idle_timer progress(pair.ctx.get_executor());
    std::size_t sent = 0;
    std::optional<error_code> done;
    detail::async_send_rest(pair.sender, progress, {reply}, sent, turn, [&](error_code ec) { done = ec; });
    const std::size_t turns = pair.turns_until(done);

    BOOST_TEST_REQUIRE(done.has_value(), "the reply does not fit the buffers (run as root): " << sent << " bytes sent");
    BOOST_TEST(!*done, done->message());
    BOOST_TEST(sent == reply.size());
    BOOST_TEST(turns >= long_payload / turn - 2, turns << " turns of other work");
}

BOOST_AUTO_TEST_SUITE_END()
