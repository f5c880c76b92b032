// The accept layer on its own: a burst is taken from the kernel's queue at once and handed
// over a batch a turn; a listener that ends between two batches closes what it took and
// has not handed over, and gives back their slots.
#include "accept/listener.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <poll.h>

using namespace poetry;
using namespace poetry::detail;
using steady = poetry::clock;
using namespace std::chrono_literals;

namespace {

// Keeps every connection it is handed, and with it its slot and its descriptor.
class keeping_handler : public connection_handler
{
public:
    void accept(accepted_connection connection) override { kept.push_back(std::move(connection)); }

    std::vector<accepted_connection> kept;
};

// How many of `clients` see their server close, waiting at most `bound` for `expected` of them.
std::size_t
count_closed(std::vector<tcp::socket>& clients, std::size_t expected, steady::duration bound)
{
    std::vector<pollfd> watched;
    for (auto& client : clients)
        watched.push_back({.fd = client.native_handle(), .events = POLLIN, .revents = 0});
    const auto deadline = steady::now() + bound;
    std::size_t closed = 0;
    while (closed < expected && steady::now() < deadline)
    {
        ::poll(watched.data(), watched.size(), 50);
        closed = 0;
        for (const auto& each : watched)
            closed += (each.revents & (POLLIN | POLLHUP)) != 0;
    }
    return closed;
}

} // namespace

BOOST_AUTO_TEST_SUITE(listener_suite)

BOOST_AUTO_TEST_CASE(a_listener_ended_between_batches_closes_what_it_took_and_frees_its_slots)
{
    constexpr std::size_t burst = 200;
    constexpr std::size_t first_batch = 64; // what one turn hands over
    asio::io_context ctx;
    auto open = std::make_shared<connection_count>(0);
    std::optional<listener> accepting(std::in_place, ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
                                      listener_options{.open_connections = open});

    // The kernel completes every handshake and queues the connections: a burst waiting.
    std::vector<tcp::socket> clients;
    for (std::size_t i = 0; i < burst; ++i)
        clients.emplace_back(ctx).connect(accepting->local_endpoint());

    keeping_handler handler;
    accepting->run(handler); // takes the whole queue, hands over the first batch, posts the rest
    BOOST_TEST_REQUIRE(handler.kept.size() == first_batch);
    BOOST_TEST(open->load() == burst, "every connection taken holds a slot");
    BOOST_TEST(accepting->accepted() == burst);

    accepting.reset(); // the server stops before the next turn
    BOOST_TEST(open->load() == first_batch, "the slots of those never handed over are free");
    BOOST_TEST(count_closed(clients, burst - first_batch, 5s) == burst - first_batch,
               "each connection never handed over is closed, and only those");
    handler.kept.clear();
    BOOST_TEST(open->load() == 0u);
    BOOST_TEST(count_closed(clients, burst, 5s) == burst);
}

BOOST_AUTO_TEST_SUITE_END()
