#include "background_server.hpp"
#include "raw_client.hpp"

#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <future>
#include <memory>
#include <thread>
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

// A poem of at least `size` bytes, `line` over and over, and what cummingsify makes of it.
struct long_poem
{
    std::string text;
    std::string lowered;
};

long_poem
repeated(std::string_view line, std::string_view lowered_line, std::size_t size)
{
    long_poem poem;
    while (poem.text.size() < size)
    {
        poem.text += line;
        poem.lowered += lowered_line;
    }
    return poem;
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
    BOOST_TEST(ask(server->port(), "27:cummingsify.HERE IS MY POEM,AND MORE BYTES 5:xxxxx,") == "15:here is my poem,");
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

BOOST_AUTO_TEST_CASE(long_requests_reuse_the_buffers_the_budget_kept)
{
    // A long request and its reply leave their buffers kept for the next, still counted in
    // the budget; a request that needs the room gets it from them. On the event loop and
    // on workers alike.
    constexpr std::size_t mib = 1024 * 1024;
    const long_poem greek = repeated("\xCE\xA4\xCE\x91 \xCE\xA6\xCE\xA9\xCE\xA4\xCE\x91 ON THE WATER\n", // ΤΑ ΦΩΤΑ
                                     "\xCF\x84\xCE\xB1 \xCF\x86\xCF\x89\xCF\x84\xCE\xB1 on the water\n", mib);
    const long_poem shorter =
        repeated("THE ROAD HOME RUNS BY THE SEA\n", "the road home runs by the sea\n", 700 * 1024);
    const long_poem longer = repeated("ROWS OF LIGHTS\n", "rows of lights\n", 3 * mib);
    for (const bool on_workers : {false, true})
    {
        BOOST_TEST_CONTEXT((on_workers ? "on workers" : "on the event loop"))
        {
            transform_server_config config;
            config.buffers = make_request_budget(8 * mib); // 7 MiB for long requests; keeps 2 MiB at most
            if (on_workers)
                config.workers = std::make_shared<asio::thread_pool>(2);
            auto server = start_transform_server(config);
            const auto& budget = *config.buffers;
            // Each answer is its own, whatever the buffer it was built in held before.
            for (const long_poem* poem : {&greek, &shorter, &greek})
            {
                BOOST_TEST((ask(server->port(), netstring_encode("cummingsify." + poem->text)) ==
                            netstring_encode(poem->lowered)));
                BOOST_TEST_REQUIRE(server->wait_for_connections(0, 10s));
                BOOST_TEST(budget.kept() > 0u);
                BOOST_TEST(budget.kept() <= 2 * mib);
                BOOST_TEST(budget.in_use() == budget.kept(), "only kept buffers are held between requests");
            }
            // 3 MiB and its reply of 3 MiB fit in the 7 MiB only once the kept buffers are freed.
            BOOST_TEST((ask(server->port(), netstring_encode("cummingsify." + longer.text)) ==
                        netstring_encode(longer.lowered)));
            BOOST_TEST_REQUIRE(server->wait_for_connections(0, 10s));
            BOOST_TEST(budget.in_use() == budget.kept());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_quiet_server_gives_its_kept_buffers_back)
{
    // The buffers a long request and its reply leave kept are freed once no request has
    // taken them for the budget's kept_for: a server gone quiet holds nothing. (That one
    // serving long requests back to back reuses them is the test above, with 10 s.)
    constexpr std::size_t mib = 1024 * 1024;
    const long_poem poem = repeated("THE ROAD HOME RUNS BY THE SEA\n", "the road home runs by the sea\n", mib);
    transform_server_config config;
    config.buffers = std::make_shared<byte_budget>(memory_policy{.limit = 8 * mib, .kept_for = 200ms});
    auto server = start_transform_server(config);
    const auto& budget = *config.buffers;
    BOOST_TEST((ask(server->port(), netstring_encode("cummingsify." + poem.text)) == netstring_encode(poem.lowered)));
    BOOST_TEST_REQUIRE(server->wait_for_connections(0, 10s));
    // Freeing a kept buffer and giving its bytes back are two steps: wait for both.
    BOOST_TEST(background_server::wait_until([&] { return budget.kept() == 0 && budget.in_use() == 0; }, 10s),
               "still kept: " << budget.kept() << " bytes, in use: " << budget.in_use());
    still_serves(server->port());
}

BOOST_AUTO_TEST_CASE(fail_rate_fails_that_share_of_requests)
{
    transform_server_config config;
    config.fail_rate = 1.0;
    auto always = start_transform_server(config);
    BOOST_TEST(ask(always->port(), "27:cummingsify.HERE IS MY POEM,").empty());

    config.fail_rate = 0.5;
    config.seed = 42;
    auto half = start_transform_server(config);
    int answered = 0;
    for (int i = 0; i < 100; ++i)
        answered += ask(half->port(), "27:cummingsify.HERE IS MY POEM,").empty() ? 0 : 1;
    BOOST_TEST(answered > 20);
    BOOST_TEST(answered < 80);
}

BOOST_AUTO_TEST_CASE(request_deadline_closes_a_client_that_trickles)
{
    // One byte every 50 ms keeps the idle timer happy for ever; the deadline does not move.
    transform_server_config config;
    config.idle_timeout = 30s;
    config.request_timeout = 300ms;
    auto server = start_transform_server(config);
    raw_client trickle(server->port());
    trickle.send("1000:cummingsify.");
    const auto start = std::chrono::steady_clock::now();
    bool closed = false;
    for (int i = 0; i < 100 && !closed; ++i) // at most 100 bytes, about 5 s
    {
        try
        {
            trickle.send("X");
        }
        catch (const std::runtime_error&)
        {
            closed = true; // the server is gone from the other end
            break;
        }
        const auto got = trickle.read_at_least(1, 50ms); // paces the trickle
        closed = got.eof || got.error != 0;
        BOOST_TEST(got.data.empty(), "the trickling request was answered");
    }
    BOOST_TEST(closed, "a request trickling for 5 s was never closed");
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 250ms));
    still_serves(server->port());
}

BOOST_AUTO_TEST_CASE(request_that_would_pass_the_budget_is_refused)
{
    // Room for one request of 60,000 bytes and its reply, which is paid for before it is made.
    transform_server_config config;
    config.buffers = std::make_shared<byte_budget>(130'000);
    auto server = start_transform_server(config);

    // The first request holds 60,000 bytes of the budget while it waits for its last byte.
    const std::string first_poem(60'000 - 12, 'A');
    const std::string first = netstring_encode("cummingsify." + first_poem);
    auto holder = std::make_unique<raw_client>(server->port());
    holder->send(std::string_view(first).substr(0, first.size() - 2));
    const auto held = [&] { return config.buffers->in_use(); };
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (held() < 60'000u && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield(); // wait for the server to have read it; bounded
    BOOST_TEST_REQUIRE(held() == 60'000u);

    // A longer second one cannot fit beside it: refused, closed without an answer.
    {
        raw_client refused(server->port());
        refused.send(netstring_encode("cummingsify." + std::string(80'000, 'B')));
        const auto got = refused.read_to_eof(10s);
        BOOST_TEST(got.data.empty());
        BOOST_TEST((got.eof || got.error != 0));
    }

    // A short request still fits; the first completes; then everything is given back.
    still_serves(server->port());
    holder->send(std::string_view(first).substr(first.size() - 2));
    BOOST_TEST((holder->read_to_eof(10s).data == netstring_encode(std::string(first_poem.size(), 'a'))));
    // Closed by the clients, the connections end (the server lingers until the client closes).
    holder.reset();
    BOOST_TEST(server->wait_for_connections(0, 10s));
    BOOST_TEST(held() == 0u);
}

BOOST_AUTO_TEST_CASE(stalled_large_requests_leave_room_for_short_ones)
{
    // Eight requests of `large` bytes would fill the budget; an eighth of it is kept for short ones.
    constexpr std::size_t large = 1024 * 1024 + 100;
    transform_server_config config;
    config.buffers = make_request_budget(8 * large);
    auto server = start_transform_server(config);

    // Each staller declares `large` bytes, sends all but one, and stalls. One at a time: each
    // either holds its share or is refused (closed) before the next comes.
    const std::string declared = std::to_string(large) + ":cummingsify."; // a payload of `large` bytes
    std::vector<std::unique_ptr<raw_client>> stallers;
    for (int i = 0; i < 8; ++i)
    {
        const std::size_t before = config.buffers->in_use();
        auto& staller = *stallers.emplace_back(std::make_unique<raw_client>(server->port()));
        try
        {
            staller.send(declared + std::string(large - 12 - 1, 'A')); // all but its last byte
        }
        catch (const std::runtime_error&) // refused while sending
        {
            continue;
        }
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        bool settled = false;
        while (!settled && std::chrono::steady_clock::now() < deadline)
        {
            const auto probe = staller.read_at_least(1, 10ms);
            settled = config.buffers->in_use() >= before + large || probe.eof || probe.error != 0;
        }
        BOOST_TEST_REQUIRE(settled, "staller " << i << " neither held its share nor was refused");
    }
    BOOST_TEST(config.buffers->in_use() >= 7 * large, "the stallers hold what large requests may");

    // Short requests are still answered, every one.
    for (int i = 0; i < 40; ++i)
        still_serves(server->port());
}

BOOST_AUTO_TEST_CASE(a_crowd_of_small_stalled_requests_leaves_room_for_short_ones)
{
    // Each staller declares a payload under 64 KiB (a small holder), sends all but its last
    // byte and stalls: 200 of them would hold more than the whole budget. Requests not yet
    // whole never take from the reserve, so short requests are still answered, every one.
    constexpr std::size_t small = 64 * 1024; // 128 of them fill the budget to its last byte
    transform_server_config config;
    config.buffers = make_request_budget(8 * 1024 * 1024);
    auto server = start_transform_server(config);

    const std::string declared = std::to_string(small) + ":cummingsify.";
    std::vector<std::unique_ptr<raw_client>> stallers;
    for (int i = 0; i < 200; ++i)
    {
        auto& staller = *stallers.emplace_back(std::make_unique<raw_client>(server->port()));
        try
        {
            staller.send(declared + std::string(small - 12 - 1, 'A'));
        }
        catch (const std::runtime_error&) // refused while sending
        {
        }
    }
    // Every staller has been read (held or refused) once the server holds them all.
    BOOST_TEST_REQUIRE(server->wait_for_accepted(200, 10s));
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (config.buffers->in_use() < config.buffers->limit() - config.buffers->reserve() - small &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms); // the budget fills on the server's thread: no event to wait on
    BOOST_TEST(config.buffers->in_use() <= config.buffers->limit() - config.buffers->reserve(),
               "the stallers took from the reserve");

    for (int i = 0; i < 40; ++i)
        still_serves(server->port());
}

BOOST_AUTO_TEST_CASE(long_transform_runs_off_the_event_loop)
{
    // One worker, kept busy until the test lets it go: a long request must wait for it,
    // and short requests must be answered meanwhile by the event loop.
    auto workers = std::make_shared<asio::thread_pool>(1);
    std::promise<void> release_worker;
    asio::post(*workers, [go = release_worker.get_future()]() mutable { go.wait(); });

    transform_server_config config;
    config.workers = workers;
    auto server = start_transform_server(config);
    std::string poem;
    while (poem.size() < 200'000)
        poem += "ΤΑ ΦΩΤΑ ΤΟΥ ΛΙΜΑΝΙΟΥ, THE HARBOUR LIGHTS\n";
    raw_client long_request(server->port());
    long_request.send(netstring_encode("cummingsify." + poem));

    for (int i = 0; i < 5; ++i)
        still_serves(server->port());
    const auto early = long_request.read_at_least(1, 200ms);
    BOOST_TEST(early.data.empty(), "the long request was transformed on the event loop");
    BOOST_TEST(!early.eof);

    release_worker.set_value();
    std::string expected;
    while (expected.size() < 200'000)
        expected += "τα φωτα του λιμανιου, the harbour lights\n";
    BOOST_TEST((long_request.read_to_eof(10s).data == netstring_encode(expected)));
    server.reset(); // joins the workers once its event loop has stopped
}

BOOST_AUTO_TEST_CASE(waiting_for_a_worker_is_not_the_clients_silence)
{
    // The request is whole and queued behind a busy worker for five idle timeouts: the
    // client is waiting on the server, so the idle timer must not close it.
    auto workers = std::make_shared<asio::thread_pool>(1);
    std::promise<void> release_worker;
    asio::post(*workers, [go = release_worker.get_future()]() mutable { go.wait(); });

    transform_server_config config;
    config.workers = workers;
    config.idle_timeout = 100ms;
    auto server = start_transform_server(config);
    const std::string poem(100'000, 'Q');
    raw_client client(server->port());
    client.send(netstring_encode("cummingsify." + poem));

    const auto early = client.read_at_least(1, 500ms);
    BOOST_TEST(early.data.empty());
    BOOST_TEST(!early.eof, "closed while its request waited for a worker");
    BOOST_TEST(early.error == 0);

    release_worker.set_value();
    BOOST_TEST((client.read_to_eof(10s).data == netstring_encode(std::string(100'000, 'q'))));
    server.reset();
}

BOOST_AUTO_TEST_SUITE_END()
