#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <vector>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

std::string
ask(std::uint16_t port, std::string_view request)
{
    raw_client client(port);
    client.send(request);
    return client.read_to_eof(10s).data;
}

// The server must answer this after every bad request.
void
still_serves(std::uint16_t port)
{
    BOOST_TEST(ask(port, "27:cummingsify.HERE IS MY POEM,") == "15:here is my poem,");
}

} // namespace

BOOST_AUTO_TEST_SUITE(transform_server)

BOOST_AUTO_TEST_CASE(answers_the_tutorials_request)
{
    auto server = start_transform_server();
    still_serves(server->port());
    BOOST_TEST(ask(server->port(), netstring_encode("cummingsify.ΟΔΟΣ ΚΑΙ ΣΟΦΟΣ")) ==
               netstring_encode("οδος και σοφος"));
    BOOST_TEST(ask(server->port(), "12:cummingsify.,") == "0:,");
}

BOOST_AUTO_TEST_CASE(bad_requests_close_without_answer_and_server_goes_on)
{
    transform_server_config config;
    config.max_length = 1000;
    auto server = start_transform_server(config);
    struct bad_case
    {
        const char* name;
        std::string request;
        bool half_close; // the client half-closes after sending
    };
    const std::vector<bad_case> cases{
        {"unknown transform", "21:shout.HERE IS MY POEM,", false},
        {"no dot", "11:cummingsify,", false},
        {"invalid UTF-8", "14:cummingsify.\xff\xfe,", false},
        {"non-digit length", "2x:ab,", false},
        {"empty length", ":ab,", false},
        {"leading zero", "012:cummingsify.,", false},
        {"too many digits", "10000000000000000000000:", false},
        {"over --max-length", "1001:", false},
        {"wrong byte for the comma", "12:cummingsify.;", false},
        {"cut off by a half-close", "27:cummingsify.HERE", true},
        {"nothing, then a half-close", "", true},
    };
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            raw_client client(server->port());
            client.send(tc.request);
            if (tc.half_close)
                client.shutdown_send();
            const auto got = client.read_to_eof(5s);
            BOOST_TEST(!got.timed_out);
            BOOST_TEST(got.data.empty());
            still_serves(server->port());
        }
    }
}

BOOST_AUTO_TEST_CASE(oversized_length_is_refused_before_the_payload)
{
    transform_server_config config;
    config.max_length = 1000;
    auto server = start_transform_server(config);
    raw_client client(server->port());
    client.send("1001"); // no colon, no payload: the length alone is enough to refuse
    const auto got = client.read_to_eof(5s);
    BOOST_TEST((got.eof || got.error != 0));
    BOOST_TEST(got.data.empty());
}

BOOST_AUTO_TEST_CASE(bytes_after_the_comma_are_ignored)
{
    auto server = start_transform_server();
    BOOST_TEST(ask(server->port(), "27:cummingsify.HERE IS MY POEM,AND MORE BYTES 5:xxxxx,") ==
               "15:here is my poem,");
}

BOOST_AUTO_TEST_CASE(silent_client_is_closed_after_idle_timeout_while_others_are_served)
{
    transform_server_config config;
    config.idle_timeout = 500ms;
    auto server = start_transform_server(config);
    const auto start = std::chrono::steady_clock::now();
    raw_client silent(server->port());
    raw_client trickle(server->port());
    trickle.send("27:cummingsify.HE"); // a few bytes, then nothing
    for (int i = 0; i < 20; ++i)
        still_serves(server->port());
    BOOST_TEST((std::chrono::steady_clock::now() - start < 500ms), "good requests waited for the silent ones");
    const auto closed = silent.read_to_eof(5s);
    BOOST_TEST(closed.eof);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 450ms));
    BOOST_TEST(trickle.read_to_eof(5s).eof);
}

BOOST_AUTO_TEST_CASE(two_hundred_concurrent_requests)
{
    auto server = start_transform_server();
    std::vector<std::unique_ptr<raw_client>> clients;
    for (int i = 0; i < 200; ++i)
    {
        clients.push_back(std::make_unique<raw_client>(server->port()));
        clients.back()->send(netstring_encode("cummingsify.POEM NUMBER " + std::to_string(i)));
    }
    for (int i = 0; i < 200; ++i)
        BOOST_TEST(clients[i]->read_to_eof(10s).data == netstring_encode("poem number " + std::to_string(i)));
}

BOOST_AUTO_TEST_CASE(five_mebibyte_poem)
{
    std::string poem;
    std::string expected;
    while (poem.size() < 5 * 1024 * 1024)
    {
        poem += "THE HARBOUR LIGHTS COME ON IN ROWS, Ο ΗΛΙΟΣ\n";
        expected += "the harbour lights come on in rows, ο ηλιος\n";
    }
    auto server = start_transform_server();
    BOOST_TEST((ask(server->port(), netstring_encode("cummingsify." + poem)) == netstring_encode(expected)));
}

BOOST_AUTO_TEST_CASE(fail_rate_fails_that_share_of_requests)
{
    transform_server_config config;
    config.fail_rate = 1.0;
    auto always = start_transform_server(config);
    BOOST_TEST(ask(always->port(), "27:cummingsify.HERE IS MY POEM,").empty());

    config.fail_rate = 0.5;
    config.random = std::make_shared<std::mt19937_64>(42);
    auto half = start_transform_server(config);
    int answered = 0;
    for (int i = 0; i < 100; ++i)
        answered += ask(half->port(), "27:cummingsify.HERE IS MY POEM,").empty() ? 0 : 1;
    BOOST_TEST(answered > 20);
    BOOST_TEST(answered < 80);
}

BOOST_AUTO_TEST_SUITE_END()
