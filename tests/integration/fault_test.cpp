// Floods and resets against the in-process servers: nothing leaks, serving goes on.
#include "background_server.hpp"
#include "child_process.hpp"
#include "raw_client.hpp"

#include "poetry/protocol/netstring.hpp"

#include "common/resources.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <thread>
#include <vector>

using namespace poetry;
using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// The sockets this process has open, by descriptor ("socket:[123]"). Sockets only:
// the sanitizers' runtimes open files of their own now and then, on any thread.
std::map<std::string, std::string>
open_descriptors()
{
    std::map<std::string, std::string> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec))
        if (auto target = std::filesystem::read_symlink(entry.path(), ec).string(); target.starts_with("socket:"))
            found[entry.path().filename().string()] = std::move(target);
    return found;
}

// The descriptors in `after` that were not in `before`, for a failure's message.
std::string
new_descriptors(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after)
{
    std::string list;
    for (const auto& [fd, target] : after)
        if (const auto old = before.find(fd); old == before.end() || old->second != target)
            list += " " + fd + " -> " + target;
    return list;
}

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
    const auto files_before = open_descriptors();

    reset_flood(fast->port(), 1000);
    reset_flood(slow->port(), 1000);
    reset_flood(xform->port(), 500, "27:cummingsify.HERE");
    reset_flood(xform->port(), 500, "27:cummingsify.HERE IS MY POEM,");

    BOOST_TEST(fast->wait_for_connections(0, 10s));
    BOOST_TEST(slow->wait_for_connections(0, 10s));
    BOOST_TEST(xform->wait_for_connections(0, 10s));
    // A leaked socket stays open for good; one sample with no socket more than before
    // proves there is none. (Samples can differ: reset connections may still wait in an
    // accept queue when the counts read zero, and a lingering close lasts up to 10 s.)
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    auto files_after = open_descriptors();
    while (files_after.size() != files_before.size() && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(10ms); // /proc has no event to wait on
        files_after = open_descriptors();
    }
    BOOST_TEST(files_after.size() == files_before.size(),
               "sockets leaked:" << new_descriptors(files_before, files_after));

    raw_client fast_client(fast->port());
    BOOST_TEST((fast_client.read_to_eof(10s).data == poem));
    raw_client slow_client(slow->port());
    BOOST_TEST(slow_client.read_at_least(5, 10s).data == "a slo");
    raw_client xform_client(xform->port());
    xform_client.send("27:cummingsify.HERE IS MY POEM,");
    BOOST_TEST(xform_client.read_to_eof(10s).data == "15:here is my poem,");
}

BOOST_AUTO_TEST_SUITE_END()
