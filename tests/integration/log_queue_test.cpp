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
    // 600 lines of 1 KiB: more than the pipe (64 KiB) and the queue (256 KiB) hold. If a
    // push waited for the reader, this loop would never end.
    const int pushed = 600;
    for (int i = 0; i < pushed; ++i)
    {
        std::string line = "line " + std::to_string(i) + " ";
        line.resize(1023, 'x');
        queue.push(line + "\n");
    }
    BOOST_TEST(queue.dropped() > 0u);
    BOOST_TEST(!queue.drain(50ms)); // nobody reads: it cannot drain

    // The reader comes back: every line kept is whole and in order, then the note.
    const auto lines = lines_of(read_until_drained(ends.read, queue, 10s));
    BOOST_TEST_REQUIRE(lines.size() >= 2u);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    {
        BOOST_TEST(lines[i].rfind("line " + std::to_string(i) + " ", 0) == 0u, lines[i].substr(0, 20));
        BOOST_TEST(lines[i].size() == 1023u);
    }
    const std::string note_line = "NOTE " + std::to_string(queue.dropped()) + " log lines dropped here";
    BOOST_TEST(lines.back().rfind(note_line, 0) == 0u, lines.back());
    BOOST_TEST(lines.size() - 1 + queue.dropped() == static_cast<std::size_t>(pushed));
}

BOOST_AUTO_TEST_SUITE_END()
