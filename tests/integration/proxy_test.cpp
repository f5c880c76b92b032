// The caching proxy against an upstream server whose connections we count.
#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/server/proxy.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cerrno>

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
        slow_server_config config;
        config.poem = std::make_shared<const std::string>(poem);
        config.drip.chunk_size = 100;
        config.drip.delay = 50ms;
        server = std::make_unique<background_server>(
            [config, count = accepted](accepted_socket s, connection_slot slot) {
                ++*count;
                start_slow_session(std::move(s).into_socket(), std::move(slot), config);
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
    return std::make_unique<background_server>([cache](accepted_socket s, connection_slot slot) {
        cache->serve(std::move(s).into_socket(), std::move(slot));
    });
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
    BOOST_TEST(!got.eof, "a failed download must not look like an empty poem");
    BOOST_TEST(got.error == ECONNRESET);
    BOOST_TEST(got.data.empty());

    counting_upstream upstream(port); // the upstream comes back on its port
    raw_client later(proxy->port());
    BOOST_TEST(later.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream.accepted->load() == 1);
}

BOOST_AUTO_TEST_CASE(empty_download_is_never_cached)
{
    // The first upstream connection closes at once, without a byte; later ones get the poem.
    auto accepted = std::make_shared<std::atomic<int>>(0);
    fast_server_config config;
    config.poem = std::make_shared<const std::string>(poem);
    background_server upstream([config, accepted](accepted_socket s, connection_slot slot) {
        if (++*accepted > 1)
            start_fast_session(std::move(s), std::move(slot), config);
    });
    auto proxy = start_proxy(upstream.port());

    raw_client first(proxy->port());
    const auto refused = first.read_to_eof(10s);
    BOOST_TEST(!refused.eof);
    BOOST_TEST(refused.error == ECONNRESET);

    raw_client second(proxy->port());
    BOOST_TEST(second.read_to_eof(10s).data == poem);
    BOOST_TEST(accepted->load() == 2, "the empty download was cached");
}

BOOST_AUTO_TEST_CASE(full_upstream_is_a_failure_not_a_poem)
{
    listener_options options;
    options.max_connections = 1;
    auto upstream = start_fast_server(std::string(8 * 1024 * 1024, 'u'), options);
    auto holder = std::make_unique<raw_client>(upstream->port()); // fills the upstream
    BOOST_TEST_REQUIRE(upstream->wait_for_connections(1, 5s));
    auto proxy = start_proxy(upstream->port());

    raw_client while_full(proxy->port());
    const auto refused = while_full.read_to_eof(10s);
    BOOST_TEST(!refused.eof);
    BOOST_TEST(refused.error == ECONNRESET);

    // Once the upstream has room, the next client starts a new download and gets the poem.
    holder.reset();
    BOOST_TEST_REQUIRE(upstream->wait_for_connections(0, 10s));
    raw_client later(proxy->port());
    const auto got = later.read_to_eof(10s);
    BOOST_TEST(got.eof);
    BOOST_TEST((got.data == std::string(8 * 1024 * 1024, 'u')));
}

BOOST_AUTO_TEST_SUITE_END()
