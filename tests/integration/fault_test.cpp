// Floods and resets against the in-process servers: nothing leaks, serving goes on.
#include "background_server.hpp"
#include "child_process.hpp"
#include "raw_client.hpp"

#include "poetry/netstring.hpp"

#include "poetry/resources.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

#include <memory>
#include <vector>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// Connect `count` clients, then reset them all at once.
void
reset_flood(std::uint16_t port, int count, std::string_view send_first = {})
{
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < count; ++i)
    {
        clients.push_back(std::make_unique<raw_client>(port));
        if (!send_first.empty())
            clients.back()->send(send_first);
    }
    for (auto& c : clients)
        c->reset();
}

} // namespace

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(reset_flood_leaks_nothing)
{
    poetry::raise_open_file_limit();
    const std::string poem(256 * 1024, 'r');
    auto fast = start_fast_server(poem);
    auto slow = start_slow_server("a slow poem, dripping", 5, 1s);
    auto xform = start_transform_server();
    const int files_before = usage_of(0).open_files;

    reset_flood(fast->port(), 1000);
    reset_flood(slow->port(), 1000);
    reset_flood(xform->port(), 500, "27:cummingsify.HERE");
    reset_flood(xform->port(), 500, "27:cummingsify.HERE IS MY POEM,");

    BOOST_TEST(fast->wait_for_connections(0, 10s));
    BOOST_TEST(slow->wait_for_connections(0, 10s));
    BOOST_TEST(xform->wait_for_connections(0, 10s));
    // Connections reset while queued may still be waiting to be accepted, and a lingering
    // close may wait its 10 s: a leak is a count that is still high after that.
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (usage_of(0).open_files != files_before && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms); // /proc has no event to wait on
    BOOST_TEST(usage_of(0).open_files == files_before, "descriptors leaked: " << files_before << " before, "
                                                                              << usage_of(0).open_files << " after");

    raw_client fast_client(fast->port());
    BOOST_TEST((fast_client.read_to_eof(10s).data == poem));
    raw_client slow_client(slow->port());
    BOOST_TEST(slow_client.read_at_least(5, 10s).data == "a slo");
    raw_client xform_client(xform->port());
    xform_client.send("27:cummingsify.HERE IS MY POEM,");
    BOOST_TEST(xform_client.read_to_eof(10s).data == "15:here is my poem,");
}

BOOST_AUTO_TEST_SUITE_END()
