// The caching proxy against an upstream server whose connections we count.
#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/proxy.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

const std::string poem(653, 'x');

// A slow upstream (about 0.3 s a poem) that counts the connections it accepts.
struct counting_upstream
{
    explicit counting_upstream(std::uint16_t port = 0)
    {
        slow_server_config config{std::make_shared<const std::string>(poem), {100, 50ms}};
        server = std::make_unique<background_server>(
            [config, count = accepted](tcp::socket s, connection_slot slot) {
                ++*count;
                start_slow_session(std::move(s), std::move(slot), config);
            },
            listener_options{}, port);
    }

    std::shared_ptr<std::atomic<int>> accepted = std::make_shared<std::atomic<int>>(0);
    std::unique_ptr<background_server> server;
};

std::unique_ptr<background_server>
start_proxy(std::uint16_t upstream_port)
{
    auto cache = std::make_shared<poem_cache>(address{"127.0.0.1", upstream_port}, fetch_options{});
    return std::make_unique<background_server>(
        [cache](tcp::socket s, connection_slot slot) { cache->serve(std::move(s), std::move(slot)); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(proxy)

BOOST_AUTO_TEST_CASE(clients_share_one_download_then_the_cache)
{
    counting_upstream upstream;
    auto proxy = start_proxy(upstream.server->port());

    raw_client first(proxy->port());
    raw_client second(proxy->port());
    BOOST_TEST(first.read_to_eof(10s).data == poem);
    BOOST_TEST(second.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream.accepted->load() == 1, "two clients at once, one upstream fetch");

    raw_client third(proxy->port());
    BOOST_TEST(third.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream.accepted->load() == 1, "the third client was served from the cache");
}

BOOST_AUTO_TEST_CASE(download_is_cancelled_when_every_client_leaves)
{
    counting_upstream upstream;
    auto proxy = start_proxy(upstream.server->port());
    {
        raw_client first(proxy->port());
        raw_client second(proxy->port());
        BOOST_TEST_REQUIRE(upstream.server->wait_for_connections(1, 5s), "the download never started");
    }
    // Both clients gone mid-download: the proxy closes its upstream connection at once.
    BOOST_TEST(upstream.server->wait_for_connections(0, 5s), "the upstream connection stayed open");
    BOOST_TEST(proxy->wait_for_connections(0, 5s));

    // Nothing was cached: the next client starts a new download, which succeeds.
    raw_client later(proxy->port());
    BOOST_TEST(later.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream.accepted->load() == 2);
}

BOOST_AUTO_TEST_CASE(upstream_down_closes_clients_then_recovers)
{
    const std::uint16_t port = closed_port();
    auto proxy = start_proxy(port);
    raw_client refused(proxy->port());
    const auto got = refused.read_to_eof(10s);
    BOOST_TEST((got.eof || got.error != 0));
    BOOST_TEST(got.data.empty());

    counting_upstream upstream(port); // the upstream comes back on its port
    raw_client later(proxy->port());
    BOOST_TEST(later.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream.accepted->load() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
