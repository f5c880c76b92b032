// The log's queue: lines written whole and in order by a thread of their own; a reader
// that stops reading costs lines, counted and noted, never the time of whoever logs.
#include "log/log_queue.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using poetry::detail::log_queue;

namespace {

struct pipe_ends
{
    int read = -1;
    int write = -1;
};

// A pipe whose read end never blocks, for a log to write into.
pipe_ends
make_pipe()
{
    int fds[2];
    BOOST_TEST_REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    return {fds[0], fds[1]};
}

std::string
note(std::string_view text)
{
    return "NOTE " + std::string(text) + "\n";
}

// A queue that lives as long as its writer thread, which is detached: the process's
// (kept where a leak checker sees it).
log_queue&
lasting_queue(int fd)
{
    static auto* kept = new std::vector<log_queue*>; // never destroyed, as the queues are not
    return *kept->emplace_back(new log_queue(fd, note));
}

// Read `fd` until `queue` has written everything, at most `limit`.
std::string
read_until_drained(int fd, log_queue& queue, std::chrono::milliseconds limit)
{
    std::string text;
    const auto give_up = std::chrono::steady_clock::now() + limit;
    bool drained = false;
    while (std::chrono::steady_clock::now() < give_up)
    {
        char bytes[65536];
        ssize_t n;
        while ((n = ::read(fd, bytes, sizeof bytes)) > 0)
            text.append(bytes, static_cast<std::size_t>(n));
        if (drained)
            return text;
        drained = queue.drain(10ms);
        pollfd ready{fd, POLLIN, 0};
        ::poll(&ready, 1, 10);
    }
    BOOST_TEST(drained, "the queue did not drain within the limit");
    return text;
}

std::vector<std::string>
lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

} // namespace

BOOST_AUTO_TEST_SUITE(log_queue_suite)

BOOST_AUTO_TEST_CASE(lines_come_out_whole_and_in_order)
{
    const auto ends = make_pipe();
    auto& queue = lasting_queue(ends.write);
    std::string expected;
    for (int i = 0; i < 100; ++i)
    {
        const std::string line = "line " + std::to_string(i) + "\n";
        queue.push(line);
        expected += line;
    }
    BOOST_TEST(read_until_drained(ends.read, queue, 10s) == expected);
    BOOST_TEST(queue.dropped() == 0u);
}

BOOST_AUTO_TEST_CASE(a_stalled_reader_costs_lines_counted_and_noted_never_a_blocked_push)
{
    const auto ends = make_pipe();
    auto& queue = lasting_queue(ends.write);
    // 1000 lines of 1 KiB: more than the pipe (64 KiB), a batch in the writer's hand and
    // the queue (256 KiB each) hold. If a push waited for the reader, this loop would
    // never end.
    const int pushed = 1000;
    for (int i = 0; i < pushed; ++i)
    {
        std::string line = "line " + std::to_string(i) + " ";
        line.resize(1023, 'x');
        queue.push(line + "\n");
    }
    BOOST_TEST(queue.dropped() > 0u);
    BOOST_TEST(!queue.drain(50ms)); // nobody reads: it cannot drain

    // The reader comes back. Whenever the writer takes a batch, room opens again, so
    // lines may be dropped more than once; every line kept is whole and in order, and
    // each run of dropped lines has its note where they would have been.
    const auto lines = lines_of(read_until_drained(ends.read, queue, 10s));
    int next = 0; // the number the next line written should carry
    std::size_t kept = 0;
    std::size_t noted = 0;
    for (const auto& line : lines)
    {
        if (line.rfind("NOTE ", 0) == 0)
        {
            const std::size_t count = std::stoul(line.substr(5));
            BOOST_TEST(line.find(" log lines dropped here") != std::string::npos, line);
            next += static_cast<int>(count);
            noted += count;
            continue;
        }
        BOOST_TEST(line.rfind("line " + std::to_string(next) + " ", 0) == 0u, line.substr(0, 20));
        BOOST_TEST(line.size() == 1023u);
        ++next;
        ++kept;
    }
    BOOST_TEST(next == pushed);
    BOOST_TEST(noted == queue.dropped());
    BOOST_TEST(kept + noted == static_cast<std::size_t>(pushed));
    BOOST_TEST(lines.back().rfind("NOTE ", 0) == 0u, lines.back()); // nothing pushed after the last drop
}

BOOST_AUTO_TEST_SUITE_END()
