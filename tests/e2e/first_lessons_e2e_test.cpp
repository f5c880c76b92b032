// The tutorial's first lessons (Parts 2 to 8), each program tested for what it teaches:
// the blocking client's times add up and the asynchronous one's overlap, the event loop
// programs print the originals' lines in the originals' order, a blocking reader or
// callback stops every lane, and a deadline cuts the slow lane while the fast one ends.
#include "child_process.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// Every program here runs to its end.
finished_program
run(std::vector<std::string> argv, std::chrono::milliseconds limit = 30s)
{
    return run_to_end(std::move(argv), limit);
}

using lines = std::vector<std::string>;

// A slow server dripping harbour-lights.txt (653 bytes) in 7 chunks of 100 bytes, `delay`
// apart: it cannot take less than 6 delays, however idle the machine.
started_server
drip_server(const std::string& delay)
{
    return start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "100", "--delay", delay,
                                 poem_path("harbour-lights.txt")});
}

// A port that was just free: a server's, killed.
std::uint16_t
refused_port()
{
    auto gone = drip_server("0.01");
    gone.process->send_signal(SIGKILL);
    gone.process->wait(10s);
    return gone.port;
}

struct trace_event
{
    double seconds;
    int task;
    std::string what;
    std::size_t bytes;
};

// A --trace file's events, after its "# command" and header lines.
std::vector<trace_event>
read_trace(const std::string& path)
{
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    BOOST_TEST_REQUIRE(line.rfind("# ", 0) == 0u, line);
    std::getline(file, line);
    BOOST_TEST_REQUIRE(line == "seconds,task,address,event,bytes");
    std::vector<trace_event> events;
    while (std::getline(file, line))
    {
        std::vector<std::string> fields;
        std::istringstream parts(line);
        for (std::string field; std::getline(parts, field, ',');)
            fields.push_back(field);
        BOOST_TEST_REQUIRE(fields.size() == 5u, line);
        events.push_back({std::stod(fields[0]), std::stoi(fields[1]), fields[3], std::stoul(fields[4])});
    }
    return events;
}

// The time of `task`'s first (or last) event called `what`; -1 when there is none.
double
first_of(const std::vector<trace_event>& events, int task, const std::string& what)
{
    for (const auto& e : events)
        if (e.task == task && e.what == what)
            return e.seconds;
    return -1;
}

double
last_of(const std::vector<trace_event>& events, int task, const std::string& what)
{
    double last = -1;
    for (const auto& e : events)
        if (e.task == task && e.what == what)
            last = e.seconds;
    return last;
}

// Python's str(timedelta) at the start of `text`, "0:00:01.812345" -> 1.812345; -1 when
// it is not one (the microseconds are six digits, or absent when zero).
double
timedelta_seconds(std::string_view text)
{
    const auto digits = [&](std::size_t from, std::size_t count) {
        return text.size() >= from + count && std::all_of(text.begin() + from, text.begin() + from + count,
                                                          [](char c) { return c >= '0' && c <= '9'; });
    };
    const auto colon = text.find(':');
    if (colon == 0 || colon == std::string_view::npos || !digits(0, colon) || !digits(colon + 1, 2) ||
        text.substr(colon + 3, 1) != ":" || !digits(colon + 4, 2))
        return -1;
    double seconds = std::stoi(std::string(text.substr(0, colon))) * 3600.0 +
                     std::stoi(std::string(text.substr(colon + 1, 2))) * 60.0 +
                     std::stoi(std::string(text.substr(colon + 4, 2)));
    if (text.size() > colon + 6 && text[colon + 6] == '.')
    {
        if (!digits(colon + 7, 6))
            return -1;
        seconds += std::stoi(std::string(text.substr(colon + 7, 6))) / 1e6;
    }
    return seconds;
}

// "Got 3 poems in 0:00:01.812345" -> 1.812345
double
total_seconds(const finished_program& got)
{
    const auto at = got.out.find(" poems in ");
    BOOST_TEST_REQUIRE(at != std::string::npos, got.out);
    const double seconds = timedelta_seconds(std::string_view(got.out).substr(at + 10));
    BOOST_TEST_REQUIRE(seconds >= 0.0, got.out);
    return seconds;
}

std::string
trace_path(const std::string& name)
{
    return (std::filesystem::temp_directory_path() / ("first-lessons-" + std::to_string(getpid()) + "-" + name))
        .string();
}

// Whether, in the trace, every task's chunks come in one run, no other task's between.
bool
chunks_come_one_task_at_a_time(const std::vector<trace_event>& events)
{
    std::vector<int> runs;
    for (const auto& e : events)
        if (e.what == "bytes" && (runs.empty() || runs.back() != e.task))
            runs.push_back(e.task);
    auto sorted = runs;
    std::sort(sorted.begin(), sorted.end());
    return std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
}

} // namespace

BOOST_AUTO_TEST_SUITE(first_lessons_e2e)

// --- Part 2 ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(blocking_client_gets_one_poem_after_another_and_the_times_add_up)
{
    const auto one = drip_server("0.1"), two = drip_server("0.1"), three = drip_server("0.1");
    const auto trace = trace_path("blocking.csv");
    const auto got = run({"blocking-client", "--trace", trace, std::to_string(one.port), std::to_string(two.port),
                          std::to_string(three.port)});
    BOOST_TEST_REQUIRE(got.status == 0, got.err);

    // The original's lines: each task announced, then its bytes and time, then the total.
    BOOST_TEST_REQUIRE(got.lines.size() == 7u, got.out);
    const std::uint16_t ports[] = {one.port, two.port, three.port};
    for (int task = 1; task <= 3; ++task)
    {
        BOOST_TEST(got.lines[2 * task - 2] ==
                   "Task " + std::to_string(task) + ": get poetry from: 127.0.0.1:" + std::to_string(ports[task - 1]));
        const std::string took = "Task " + std::to_string(task) +
                                 ": got 653 bytes of poetry from 127.0.0.1:" + std::to_string(ports[task - 1]) + " in ";
        BOOST_TEST(got.lines[2 * task - 1].rfind(took, 0) == 0u, got.lines[2 * task - 1]);
        BOOST_TEST(timedelta_seconds(std::string_view(got.lines[2 * task - 1]).substr(took.size())) >= 0.58,
                   got.lines[2 * task - 1]);
    }
    // Each download takes at least 6 delays of 0.1 s: together at least 1.8 s.
    BOOST_TEST(total_seconds(got) >= 1.75);

    // The staircase: each server is not even connected to until the one before is done.
    const auto events = read_trace(trace);
    for (int task = 2; task <= 3; ++task)
        BOOST_TEST(first_of(events, task, "connect") >= first_of(events, task - 1, "done"));
    std::filesystem::remove(trace);
}

BOOST_AUTO_TEST_CASE(async_client_gets_every_poem_at_once_in_the_time_of_the_slowest)
{
    const auto one = drip_server("0.1"), two = drip_server("0.1"), three = drip_server("0.1");
    const auto trace = trace_path("async.csv");
    const auto got = run({"async-client", "--trace", trace, std::to_string(one.port), std::to_string(two.port),
                          std::to_string(three.port)});
    BOOST_TEST_REQUIRE(got.status == 0, got.err);

    // Chunks as they come, each task's end, then the count of each and the total.
    int chunks = 0, ends = 0;
    for (const auto& line : got.lines)
    {
        chunks += line.rfind("Task ", 0) == 0 && line.find(" bytes of poetry from 127.0.0.1:") != std::string::npos;
        ends += line == "Task 1 finished" || line == "Task 2 finished" || line == "Task 3 finished" ? 1 : 0;
    }
    BOOST_TEST(chunks >= 3);
    BOOST_TEST(ends == 3);
    BOOST_TEST_REQUIRE(got.lines.size() >= 5u);
    const lines summary(got.lines.end() - 5, got.lines.end() - 1);
    BOOST_TEST(summary == (lines{"Task 1: 653 bytes of poetry", "Task 2: 653 bytes of poetry",
                                 "Task 3: 653 bytes of poetry", ""}),
               boost::test_tools::per_element());

    // The time of the slowest (0.6 s at least), far from the sum (1.8 s at least).
    const double total = total_seconds(got);
    BOOST_TEST(total >= 0.58);
    BOOST_TEST(total < 1.35, "three poems of 0.6 s took " << total << " s: one after another?");

    // The overlap: the last task's bytes begin long before the first task is done.
    const auto events = read_trace(trace);
    BOOST_TEST(first_of(events, 3, "bytes") < first_of(events, 1, "done"));
    std::filesystem::remove(trace);
}

BOOST_AUTO_TEST_CASE(both_clients_report_a_server_that_is_not_there_and_get_the_others)
{
    const auto one = drip_server("0.01");
    const auto refused = refused_port();
    for (const auto* program : {"blocking-client", "async-client"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto got = run({program, std::to_string(refused), std::to_string(one.port)});
            BOOST_TEST(got.status == 1);
            BOOST_TEST(got.err.find("127.0.0.1:" + std::to_string(refused)) != std::string::npos, got.err);
            BOOST_TEST(got.err.find("Connection refused") != std::string::npos, got.err);
            BOOST_TEST(got.out.find("Got 1 poems in") != std::string::npos, got.out);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_clients_refuse_a_wrong_command_line)
{
    for (const auto* program :
         {"blocking-client", "async-client", "twisted-client-1", "get-poetry-broken", "get-poetry-deadline"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto none = run({program});
            BOOST_TEST(none.status == 2);
            BOOST_TEST(none.err.find("give at least one poetry server's address") != std::string::npos, none.err);
            const auto word = run({program, "ten"});
            BOOST_TEST(word.status == 2);
            BOOST_TEST(word.err.find("invalid address 'ten': Ports must be integers") != std::string::npos, word.err);
            const auto trace = run({program, "--trace"});
            BOOST_TEST(trace.status == 2);
            BOOST_TEST(trace.err.find("the option '--trace' requires an argument") != std::string::npos, trace.err);
            const auto unwritable = run({program, "--trace", "/nonexistent/t.csv", "10001"});
            BOOST_TEST(unwritable.status == 1);
            BOOST_TEST(unwritable.err.find("cannot write trace file '/nonexistent/t.csv'") != std::string::npos,
                       unwritable.err);
        }
    }
}

// --- Part 3 ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(hello_runs_what_was_posted_once_the_loop_runs)
{
    const auto got = run({"hello"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"Starting the reactor.", "Hello from the reactor loop!",
                                   "Lately I feel like I'm stuck in a rut.",
                                   "run() returned: the loop had nothing left to do."}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(simple_returns_at_once_without_work_and_waits_for_a_work_guard)
{
    const auto got = run({"simple", "--release-after", "0.5"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST_REQUIRE(got.lines.size() == 3u, got.out);
    const std::string at_once = "run() with nothing to do returned after ";
    BOOST_TEST_REQUIRE(got.lines[0].rfind(at_once, 0) == 0u, got.lines[0]);
    const double no_work = timedelta_seconds(std::string_view(got.lines[0]).substr(at_once.size()));
    BOOST_TEST((no_work >= 0.0 && no_work < 0.4), got.lines[0]); // at once: long before the guard's 0.5 s
    const std::string waited = "run() returned after ";
    BOOST_TEST_REQUIRE(got.lines[2].rfind(waited, 0) == 0u, got.lines[2]);
    BOOST_TEST(got.lines[2].ends_with(", when the guard was released."), got.lines[2]);
    BOOST_TEST(timedelta_seconds(std::string_view(got.lines[2]).substr(waited.size())) >=
               0.5); // not before the release
}

BOOST_AUTO_TEST_CASE(countdown_rearms_its_timer_until_zero_then_the_loop_stops)
{
    const auto start = std::chrono::steady_clock::now();
    const auto got = run({"countdown", "--tick", "0.1"});
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"Start!", "5 ...", "4 ...", "3 ...", "2 ...", "1 ...", "Stop!"}),
               boost::test_tools::per_element());
    BOOST_TEST(took >= 500ms); // five ticks: 5 ... now, then 4 to 1 and the stop a tick apart
}

BOOST_AUTO_TEST_CASE(exception_leaves_run_and_run_again_goes_on)
{
    const auto got = run({"exception"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"Starting the reactor.", "Exception: I fall down.", "But I get up again."}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stack_shows_the_loop_beneath_the_handler)
{
    const auto got = run({"stack"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST_REQUIRE(got.lines.size() >= 4u, got.out);
    BOOST_TEST(got.lines[0] == "The C++ stack:");
    BOOST_TEST(got.lines[1].find(" 0# stack()") == 0u, got.lines[1]);
    const auto at = [&](const std::string& name) { return got.out.find(name); };
    BOOST_TEST(at("io_context::run") != std::string::npos, got.out);
    BOOST_TEST(at("stack()") < at("io_context::run"));
    BOOST_TEST(at("io_context::run") < at("# main"), got.out);
}

// --- Parts 4, 7 and 8 ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(twisted_client_1_reads_every_socket_as_its_bytes_come)
{
    const auto one = drip_server("0.1"), two = drip_server("0.1");
    const auto trace = trace_path("twisted-client-1.csv");
    const auto got = run({"twisted-client-1", "--trace", trace, std::to_string(one.port), std::to_string(two.port)});
    BOOST_TEST_REQUIRE(got.status == 0, got.err);
    BOOST_TEST(got.out.find("Task 1 finished") != std::string::npos);
    BOOST_TEST(got.out.find("Task 2: 653 bytes of poetry") != std::string::npos, got.out);
    const auto events = read_trace(trace);
    BOOST_TEST(!chunks_come_one_task_at_a_time(events), "the two poems did not interleave");
    BOOST_TEST(first_of(events, 2, "bytes") < last_of(events, 1, "bytes"));
    std::filesystem::remove(trace);
}

BOOST_AUTO_TEST_CASE(get_poetry_broken_lets_one_blocking_reader_hold_every_lane)
{
    const auto one = drip_server("0.1"), two = drip_server("0.1"), three = drip_server("0.1");
    const auto trace = trace_path("broken.csv");
    const auto got = run({"get-poetry-broken", "--trace", trace, std::to_string(one.port), std::to_string(two.port),
                          std::to_string(three.port)});
    BOOST_TEST_REQUIRE(got.status == 0, got.err);
    // A reader that waits for its whole poem: each task's bytes in one piece.
    for (int task = 1; task <= 3; ++task)
        BOOST_TEST(got.out.find("Task " + std::to_string(task) + ": got 653 bytes of poetry from") != std::string::npos,
                   got.out);
    // While one reader waits, no other lane gets a byte: the lanes stop together.
    const auto events = read_trace(trace);
    BOOST_TEST(chunks_come_one_task_at_a_time(events));
    std::filesystem::remove(trace);
}

BOOST_AUTO_TEST_CASE(defer_block_prints_the_originals_lines_in_order_and_stops_every_lane)
{
    // Poems of 0.6 s at least, the callback at 0.2 s: it stops both mid-poem.
    const auto one = drip_server("0.1"), two = drip_server("0.1");
    const auto trace = trace_path("defer-block.csv");
    const auto got = run({"defer-block", "--block-at", "0.2", "--second", "0.05", "--trace", trace,
                          std::to_string(one.port), std::to_string(two.port)});
    BOOST_TEST_REQUIRE(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"About to call callback.", "The start of the callback chain.", "", "I block",
                                   " and the deferred", " blocks", "", "The end of the callback chain.",
                                   "Callback returned.", "Task 1: 653 bytes of poetry", "Task 2: 653 bytes of poetry"}),
               boost::test_tools::per_element());
    // No lane gets a byte while the callback sleeps (6.5 "seconds" of 0.05 s).
    const auto events = read_trace(trace);
    const double block = first_of(events, 0, "block"), unblock = first_of(events, 0, "unblock");
    BOOST_TEST_REQUIRE(block >= 0.0);
    BOOST_TEST(unblock - block >= 0.32);
    for (const auto& e : events)
        BOOST_TEST(!(e.what == "bytes" && e.seconds > block && e.seconds < unblock), "bytes at " << e.seconds);
    // And both were dripping before it: the stop cuts across running downloads.
    BOOST_TEST(first_of(events, 1, "bytes") < block);
    BOOST_TEST(last_of(events, 1, "bytes") > unblock);
    std::filesystem::remove(trace);
}

BOOST_AUTO_TEST_CASE(get_poetry_deadline_cuts_the_slow_lane_while_the_fast_one_ends)
{
    const auto fast = start_server_process({program_path("fastpoetry"), "--quiet", poem_path("harbour-lights.txt")});
    // 653 bytes, 10 every 0.2 s: 13 s at least, far beyond the deadline.
    const auto slow = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "10", "--delay",
                                            "0.2", poem_path("harbour-lights.txt")});
    const auto trace = trace_path("deadline.csv");
    const auto start = std::chrono::steady_clock::now();
    const auto got = run({"get-poetry-deadline", "--deadline", "1", "--trace", trace, std::to_string(slow.port),
                          std::to_string(fast.port)});
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(got.status == 1); // a poem was missed
    BOOST_TEST(got.out.find("Task 2: got 653 bytes of poetry from 127.0.0.1:" + std::to_string(fast.port) + " in ") !=
                   std::string::npos,
               got.out);
    BOOST_TEST(got.out.find("Got 1 poems in") != std::string::npos, got.out);
    BOOST_TEST(got.err.find("Task 1: no poem from 127.0.0.1:" + std::to_string(slow.port) +
                            " before the deadline of 1 s (") != std::string::npos,
               got.err);
    BOOST_TEST(took < 10s); // cut at the deadline, not at the slow poem's end
    const auto events = read_trace(trace);
    BOOST_TEST(first_of(events, 1, "deadline") >= 1.0);
    BOOST_TEST(first_of(events, 1, "done") < 0.0);
    BOOST_TEST(first_of(events, 2, "done") >= 0.0);
    std::filesystem::remove(trace);
}

BOOST_AUTO_TEST_CASE(get_poetry_deadline_says_a_refused_download_failed_at_once_not_at_its_deadline)
{
    const auto refused = refused_port();
    const auto start = std::chrono::steady_clock::now();
    const auto got = run({"get-poetry-deadline", "--deadline", "20", std::to_string(refused)});
    BOOST_TEST(got.status == 1);
    BOOST_TEST(got.err.find("Task 1: the poem download from 127.0.0.1:" + std::to_string(refused) +
                            " failed: Connection refused") != std::string::npos,
               got.err);
    BOOST_TEST(got.err.find("deadline") == std::string::npos, got.err);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(took < 15s); // not held until the deadline
}

BOOST_AUTO_TEST_CASE(every_program_answers_help_and_version)
{
    for (const auto* program : {"blocking-client", "async-client", "hello", "simple", "countdown", "exception", "stack",
                                "twisted-client-1", "get-poetry-broken", "defer-block", "get-poetry-deadline"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto help = run({program, "--help"});
            BOOST_TEST(help.status == 0);
            BOOST_TEST(help.out.find("Usage: " + std::string(program)) == 0u, help.out);
            BOOST_TEST(help.out.find("Part ") != std::string::npos, help.out);
            const auto version = run({program, "--version"});
            BOOST_TEST(version.status == 0);
            BOOST_TEST(version.out.find(program) == 0u, version.out);
            const auto unknown = run({program, "--frobnicate"});
            BOOST_TEST(unknown.status == 2);
            BOOST_TEST(unknown.err.find("unrecognised option '--frobnicate'") != std::string::npos, unknown.err);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
