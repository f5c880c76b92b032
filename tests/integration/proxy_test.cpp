// The caching proxy against an upstream server whose connections we count.
#include "background_server.hpp"
#include "raw_client.hpp"

#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cerrno>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

const std::string poem(653, 'x');

// A slow upstream (about 0.3 s a poem) whose accepted connections we count.
std::unique_ptr<background_server>
slow_upstream(std::uint16_t port = 0)
{
    return start_slow_server(poem, 100, 50ms, port);
}

} // namespace

BOOST_AUTO_TEST_SUITE(proxy)

BOOST_AUTO_TEST_CASE(clients_share_one_download_then_the_cache)
{
    auto upstream = slow_upstream();
    auto proxy = start_proxy_server(upstream->port());

    raw_client first(proxy->port());
    raw_client second(proxy->port());
    BOOST_TEST(first.read_to_eof(10s).data == poem);
    BOOST_TEST(second.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream->accepted() == 1, "two clients at once, one upstream fetch");

    raw_client third(proxy->port());
    BOOST_TEST(third.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream->accepted() == 1, "the third client was served from the cache");
}

BOOST_AUTO_TEST_CASE(download_is_cancelled_when_every_client_leaves)
{
    auto upstream = slow_upstream();
    auto proxy = start_proxy_server(upstream->port());
    {
        raw_client first(proxy->port());
        raw_client second(proxy->port());
        BOOST_TEST_REQUIRE(upstream->wait_for_connections(1, 5s), "the download never started");
    }
    // Both clients gone mid-download: the proxy closes its upstream connection at once.
    BOOST_TEST(upstream->wait_for_connections(0, 5s), "the upstream connection stayed open");
    BOOST_TEST(proxy->wait_for_connections(0, 5s));

    // Nothing was cached: the next client starts a new download, which succeeds.
    raw_client later(proxy->port());
    BOOST_TEST(later.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream->accepted() == 2);
}

BOOST_AUTO_TEST_CASE(upstream_down_closes_clients_then_recovers)
{
    const std::uint16_t port = closed_port();
    auto proxy = start_proxy_server(port);
    raw_client refused(proxy->port());
    const auto got = refused.read_to_eof(10s);
    BOOST_TEST(!got.eof, "a failed download must not look like an empty poem");
    BOOST_TEST(got.error == ECONNRESET);
    BOOST_TEST(got.data.empty());

    auto upstream = slow_upstream(port); // the upstream comes back on its port
    raw_client later(proxy->port());
    BOOST_TEST(later.read_to_eof(10s).data == poem);
    BOOST_TEST(upstream->accepted() == 1);
}

BOOST_AUTO_TEST_CASE(empty_download_is_never_cached)
{
    // The first upstream connection closes at once, without a byte; later ones get the poem.
    std::atomic<int> accepted = 0;
    scripted_server upstream([&](tcp::socket& connection, int number) {
        accepted = number;
        if (number > 1)
            asio::write(connection, asio::buffer(poem));
        connection.close();
    });
    auto proxy = start_proxy_server(upstream.port());

    raw_client first(proxy->port());
    const auto refused = first.read_to_eof(10s);
    BOOST_TEST(!refused.eof);
    BOOST_TEST(refused.error == ECONNRESET);

    raw_client second(proxy->port());
    BOOST_TEST(second.read_to_eof(10s).data == poem);
    BOOST_TEST(accepted.load() == 2, "the empty download was cached");
}

BOOST_AUTO_TEST_CASE(full_upstream_is_a_failure_not_a_poem)
{
    auto upstream = start_fast_server(std::string(8 * 1024 * 1024, 'u'), 1);
    auto holder = std::make_unique<raw_client>(upstream->port()); // fills the upstream
    BOOST_TEST_REQUIRE(upstream->wait_for_connections(1, 5s));
    auto proxy = start_proxy_server(upstream->port());

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

BOOST_AUTO_TEST_CASE(a_download_that_trickles_fails_at_its_deadline)
{
    // A byte every 50 ms is never silent for the idle timeout, and never done: at the
    // download's deadline its clients are reset, and nothing is cached.
    auto upstream = start_slow_server(std::string(100'000, 't'), 1, 50ms);
    proxy_server_config config;
    config.upstream = upstream->addr();
    config.download_timeout = 300ms;
    background_server proxy(std::move(config));

    for (int i = 0; i < 2; ++i)
    {
        BOOST_TEST_CONTEXT("client " << i)
        {
            raw_client client(proxy.port());
            const auto got = client.read_to_eof(10s);
            BOOST_TEST(!got.timed_out, "still waiting after 10 s");
            BOOST_TEST(!got.eof);
            BOOST_TEST(got.error == ECONNRESET);
        }
    }
    BOOST_TEST(upstream->wait_for_accepted(2, 5s), "the second client started a download of its own");
}

BOOST_AUTO_TEST_SUITE_END()
