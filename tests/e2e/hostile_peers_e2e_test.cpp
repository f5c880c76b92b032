// Peers that promise much and send little, send slowly, or send more than memory holds:
// the transform server refuses each with a log line and serves on; clients and the proxy
// keep to their stated memory.
#include "child_process.hpp"
#include "raw_client.hpp"

#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// Some figures mean something only for the plain build: true there, else false with `why`.
boost::test_tools::assertion_result
plain_build(const char* why)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    boost::test_tools::assertion_result no(false);
    no.message() << why;
    return no;
#else
    (void)why;
    return true;
#endif
}

// The sanitizers reserve terabytes of address space: under a limit on it they cannot start,
// so the tests that set one are skipped in their builds. A precondition, not enable_if:
// CTest runs each suite by name, and naming a suite enables its disabled tests.
boost::test_tools::assertion_result
address_space_can_be_limited(boost::unit_test::test_unit_id)
{
    return plain_build("a sanitized program cannot start under a limit on its address space");
}

// Resident memory is a figure of the plain build: the sanitizers keep freed memory in quarantine.
boost::test_tools::assertion_result
resident_memory_is_meaningful(boost::unit_test::test_unit_id)
{
    return plain_build("a sanitized program's resident memory holds the sanitizer's own");
}

// A transform server started under `ulimit -v KIB` (no limit when zero).
started_server
start_transform_server(std::vector<std::string> args, int address_space_kib = 0)
{
    std::string command = "exec " + program_path("transformedpoetry");
    for (const auto& arg : args)
        command += " " + arg;
    if (address_space_kib > 0)
        command = "ulimit -v " + std::to_string(address_space_kib) + " && " + command;
    return start_server_process({"/bin/sh", "-c", command});
}

bool
serves(const started_server& server)
{
    raw_client client(server.port);
    client.send("27:cummingsify.HERE IS MY POEM,");
    return client.read_to_eof(10s).data == "15:here is my poem,";
}

// A file holding `text`, removed with the object.
struct temporary_file
{
    explicit temporary_file(const std::string& text)
    {
        char name[] = "/tmp/poetry-test-XXXXXX";
        const int fd = ::mkstemp(name);
        path = name;
        BOOST_TEST_REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        ::close(fd);
    }
    ~temporary_file() { std::remove(path.c_str()); }

    std::string path;
};

} // namespace

BOOST_AUTO_TEST_SUITE(hostile_peers_e2e)

BOOST_AUTO_TEST_CASE(declared_lengths_allocate_nothing, *boost::unit_test::precondition(address_space_can_be_limited))
{
    // 70 peers each promise 16 MiB and send nothing more: 1.1 GiB promised, under a 1 GiB limit.
    auto server = start_transform_server({"--quiet"}, 1024 * 1024);
    std::vector<std::unique_ptr<raw_client>> promisers;
    for (int i = 0; i < 70; ++i)
    {
        promisers.push_back(std::make_unique<raw_client>(server.port));
        promisers.back()->send("16777216:");
    }
    BOOST_TEST(serves(server));
    BOOST_TEST(server.process->wait(0ms) == child_process::still_running, server.process->error_text());
}

BOOST_AUTO_TEST_CASE(failed_allocation_ends_only_its_connection,
                     *boost::unit_test::precondition(address_space_can_be_limited))
{
    // The budget allows what the address space does not: the allocation itself fails.
    auto server = start_transform_server({"--max-length", "1073741824", "--max-buffered", "1073741824"}, 400 * 1024);
    raw_client greedy(server.port);
    greedy.send("300000000:cummingsify.");
    const std::string mebibyte(1024 * 1024, 'A');
    bool refused = false;
    for (int i = 0; i < 300 && !refused; ++i) // at most the request's 300 MB
    {
        try
        {
            greedy.send(mebibyte);
        }
        catch (const std::runtime_error&)
        {
            refused = true; // the server closed its end
        }
    }
    BOOST_TEST(refused, "300 MB were taken under a 400 MiB address-space limit");
    BOOST_TEST(server.process->wait_for_error_text("refused: out of memory", 10s), server.process->error_text());
    BOOST_TEST(serves(server));
    BOOST_TEST(server.process->wait(0ms) == child_process::still_running);
}

BOOST_AUTO_TEST_CASE(budget_refusal_is_logged)
{
    auto server = start_transform_server({"--max-buffered", "100000"});
    raw_client holder(server.port);
    holder.send("90000:cummingsify." + std::string(70'000, 'A')); // holds 90,000 bytes of the budget
    raw_client refused(server.port);
    refused.send("90000:cummingsify." + std::string(70'000, 'B'));
    BOOST_TEST(server.process->wait_for_error_text("refused: the server's memory for requests is full", 10s),
               server.process->error_text());
    BOOST_TEST(serves(server));
}

BOOST_AUTO_TEST_CASE(request_timeout_is_logged)
{
    auto server = start_transform_server({"--request-timeout", "0.3"});
    raw_client slow(server.port);
    slow.send("27:cummingsify.HERE");
    BOOST_TEST(slow.read_to_eof(10s).eof);
    BOOST_TEST(server.process->wait_for_error_text("refused: timed out: request not complete within its deadline", 10s),
               server.process->error_text());
    BOOST_TEST(serves(server));
}

BOOST_AUTO_TEST_CASE(limits_refuse_values_the_server_cannot_hold)
{
    for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
             {"--max-length", "-1"},
             {"--max-length", "40000000000"},
             {"--max-buffered", "0"},
             {"--max-buffered", "-5"},
             {"--workers", "-1"},
         })
    {
        BOOST_TEST_CONTEXT(option << " " << value)
        {
            child_process server({program_path("transformedpoetry"), option, value});
            BOOST_TEST(server.wait(10s) == 2);
            BOOST_TEST(server.error_text().find("invalid " + option + " '" + value + "'") != std::string::npos,
                       server.error_text());
        }
    }
}

BOOST_AUTO_TEST_CASE(client_downloads_stay_within_max_total)
{
    const temporary_file poem(std::string(4 * 1024 * 1024, 'p'));
    auto server = start_server_process({program_path("fastpoetry"), "--quiet", poem.path});
    for (const std::string program : {"get-poetry-6", "get-poetry-7", "get-poetry-8"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            child_process client(
                {program_path(program), "--no-xform", "--max-total", "1048576", std::to_string(server.port)});
            const auto out = client.read_all(10s);
            BOOST_TEST(client.wait(10s) == 1);
            BOOST_TEST(out.empty());
            BOOST_TEST(client.error_text().find("the downloads together passed the allowed total") != std::string::npos,
                       client.error_text());
        }
    }
}

BOOST_AUTO_TEST_CASE(proxy_refuses_a_poem_over_its_limit_and_caches_nothing)
{
    const temporary_file poem(std::string(4 * 1024 * 1024, 'p'));
    auto upstream = start_server_process({program_path("fastpoetry"), "--quiet", poem.path});
    auto proxy = start_server_process(
        {program_path("poetry-proxy"), "--verbose", "--max-poem", "1048576", std::to_string(upstream.port)});
    for (int i = 0; i < 2; ++i) // each client starts a download of its own: nothing was cached
    {
        raw_client client(proxy.port);
        const auto got = client.read_to_eof(10s);
        BOOST_TEST(!got.eof);
        BOOST_TEST(got.error == ECONNRESET);
    }
    BOOST_TEST(proxy.process->wait_for_error_text("poem larger than the allowed maximum", 10s),
               proxy.process->error_text());
    const auto log = proxy.process->error_text();
    BOOST_TEST(log.find("Cached") == std::string::npos, log);
    std::size_t downloads = 0;
    for (auto at = log.find("Fetching poem"); at != std::string::npos; at = log.find("Fetching poem", at + 1))
        ++downloads;
    BOOST_TEST(downloads == 2u, log);
    BOOST_TEST(usage_of(proxy.process->pid()).rss_kib < 64 * 1024, "the failed downloads' memory is kept");
}

BOOST_AUTO_TEST_CASE(transform_memory_stays_within_max_buffered,
                     *boost::unit_test::precondition(resident_memory_is_meaningful))
{
    // Sixteen requests of 8 MiB at once, on eight workers, with a budget of 64 MiB: the
    // requests and their replies are paid for before they are allocated, so at most the
    // budget is held, whatever is refused.
    constexpr std::size_t mib = 1024 * 1024;
    auto server = start_transform_server({"--quiet", "--workers", "8", "--max-buffered", std::to_string(64 * mib)});
    const auto before = usage_of(server.process->pid());
    std::string poem;
    while (poem.size() < 8 * mib)
        poem += "\xCE\xA4\xCE\x91 \xCE\xA6\xCE\xA9\xCE\xA4\xCE\x91 THE HARBOUR LIGHTS COME ON\n"; // ΤΑ ΦΩΤΑ
    const std::string request = poetry::netstring_encode("cummingsify." + poem);
    std::vector<std::thread> clients;
    std::atomic<int> answered{0};
    for (int i = 0; i < 16; ++i)
        clients.emplace_back([&] {
            try
            {
                raw_client client(server.port);
                client.send(request);
                answered += client.read_to_eof(60s).data.size() > poem.size() ? 1 : 0;
            }
            catch (const std::runtime_error&) // refused while sending
            {
            }
        });
    for (auto& client : clients)
        client.join();
    const auto after = usage_of(server.process->pid());
    BOOST_TEST_MESSAGE("transformedpoetry, 16 requests of 8 MiB, --max-buffered 64 MiB: "
                       << answered.load() << " answered, peak RSS " << after.peak_rss_kib / 1024 << " MiB");
    BOOST_TEST(answered.load() >= 1);
    BOOST_TEST(after.peak_rss_kib - before.rss_kib <= static_cast<long>((64 + 32) * mib / 1024));
    BOOST_TEST(serves(server));
}

BOOST_AUTO_TEST_CASE(fastpoetry_keeps_one_copy_of_its_poem,
                     *boost::unit_test::precondition(resident_memory_is_meaningful))
{
    // The poem lives in the sealed memory file it is sent from; the string read from
    // the file is let go once the memory file holds it.
    constexpr std::size_t mib = 1024 * 1024;
    const temporary_file poem(std::string(96 * mib, 'p'));
    auto server = start_server_process({program_path("fastpoetry"), "--quiet", poem.path});
    const auto usage = usage_of(server.process->pid());
    BOOST_TEST_MESSAGE("fastpoetry with a 96 MiB poem: resident " << usage.rss_kib / 1024 << " MiB");
    BOOST_TEST(usage.rss_kib < static_cast<long>(32 * mib / 1024), "the poem is held twice");
    raw_client client(server.port);
    BOOST_TEST(client.read_to_eof(30s).data.size() == 96 * mib);
}

BOOST_AUTO_TEST_SUITE_END()
