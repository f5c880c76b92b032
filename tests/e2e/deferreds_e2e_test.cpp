// The Deferred programs (examples/twisted-deferred, deferred-list, deferred-cancel), each
// tested for what it teaches: a handler called once with the result or the error, a second
// result refused, a chain that waits for an inner operation, a result there before anyone
// waits, where an error nobody handles goes; a group's results in list order, its
// completion order, stopping at the first failure or the first result; a cancellation
// before and after the result, answered or ignored, and reaching an awaited operation.
#include "child_process.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

using lines = std::vector<std::string>;

finished_program
run(std::vector<std::string> argv)
{
    return run_to_end(std::move(argv), 30s);
}

// A fresh path for a program's --trace file.
std::string
trace_path(const std::string& name)
{
    const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".csv");
    std::filesystem::remove(path);
    return path.string();
}

// The events of a --trace file, in order (its fourth column), the file then removed.
lines
events_of(const std::string& path)
{
    std::ifstream file(path);
    lines events;
    for (std::string line; std::getline(file, line);)
    {
        if (line.empty() || line[0] == '#' || line.starts_with("seconds,"))
            continue;
        std::istringstream fields(line);
        std::string field;
        for (int column = 0; column < 4 && std::getline(fields, field, ','); ++column)
            ;
        events.push_back(field);
    }
    std::filesystem::remove(path);
    return events;
}

} // namespace

BOOST_AUTO_TEST_SUITE(deferreds)

BOOST_AUTO_TEST_CASE(defer_1_and_2_call_the_one_handler_with_the_poem_or_the_error)
{
    const auto poem = run({"defer-1"});
    BOOST_TEST(poem.status == 0, poem.err);
    BOOST_TEST(poem.lines == (lines{"Your poem is served:", "This poem is short.", "Finished"}),
               boost::test_tools::per_element());

    const auto failure = run({"defer-2"});
    BOOST_TEST(failure.status == 0, failure.err);
    BOOST_TEST(failure.lines == (lines{"No poetry for you.", "Finished"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defer_3_shows_the_error_handler_an_exception_ptr)
{
    const auto got = run({"defer-3"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines ==
                   (lines{"std::exception_ptr holding std::runtime_error", "I have failed.", "No poetry for you."}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defer_4_to_7_refuse_a_second_result_after_the_first_was_handled)
{
    const std::vector<std::pair<std::string, std::string>> programs{{"defer-4", "First result"},
                                                                    {"defer-5", "First result"},
                                                                    {"defer-6", "First error"},
                                                                    {"defer-7", "First error"}};
    for (const auto& [program, first] : programs)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto got = run({program});
            BOOST_TEST(got.status == 1); // ended by the second result, as Python's traceback ends it
            BOOST_TEST(got.lines == lines{first}, boost::test_tools::per_element()); // no "Finished"
            BOOST_TEST(got.err.find(program + ": already called") == 0u, got.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(defer_8_and_9_end_when_the_handler_has_run_and_9_runs_its_last_step_either_way)
{
    const lines apology{"poem download failed", "I am terribly sorry", "try again later?"};
    const auto poem = run({"defer-8"});
    BOOST_TEST(poem.status == 0, poem.err);
    BOOST_TEST(poem.lines == lines{"Another short poem."}, boost::test_tools::per_element());
    const auto failure = run({"defer-8", "--fail-with", "no poem"});
    BOOST_TEST(failure.status == 0, failure.err);
    BOOST_TEST(failure.lines.empty(), failure.out);
    BOOST_TEST(failure.err == "poem download failed\nI am terribly sorry\ntry again later?\n");

    const auto both = run({"defer-9"});
    BOOST_TEST(both.status == 0, both.err);
    BOOST_TEST(both.lines == (lines{"Another short poem.", "poem_done: run either way"}),
               boost::test_tools::per_element());
    const auto both_failed = run({"defer-9", "--fail-with", "no poem"});
    BOOST_TEST(both_failed.status == 0, both_failed.err);
    BOOST_TEST(both_failed.lines == lines{"poem_done: run either way"}, boost::test_tools::per_element());
    BOOST_TEST(both_failed.err == "poem download failed\nI am terribly sorry\ntry again later?\n");
}

BOOST_AUTO_TEST_CASE(defer_10_chain_waits_for_its_inner_operation_in_both_spellings)
{
    const auto got = run({"defer-10"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(
        got.lines ==
            (lines{"Three steps that print what they got and pass a value on:", "callback_1 got 0", "callback_2 got 1",
                   "callback_3 got 2", "the chain's result: 3", "",
                   "The second step starts an operation and waits for it:", "callback_1 got 0", "callback_2 got 1",
                   "callback_3 has not run: the chain waits for the inner operation.", "callback_3 got 2",
                   "the chain's result: 3", "", "The same chain as a coroutine:", "callback_1 got 0",
                   "callback_2 got 1", "callback_3 has not run: the coroutine is suspended at its co_await.",
                   "callback_3 got 2", "the chain's result: 3"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defer_11_posts_a_result_already_there_and_dispatches_inside_the_loop)
{
    const auto got = run({"defer-11"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(
        got.lines ==
            (lines{"Delivering 0 before anyone waits.", "async_wait returned: the handler is queued, not called.",
                   "handler got 0", "", "Delivering 1 from inside the loop to a waiting handler.", "handler got 1",
                   "deliver returned: the handler ran inside it.", "", "Dispatch against post, from inside a handler.",
                   "dispatched: runs at once", "the handler that posted and dispatched returns",
                   "posted: runs after the handler that posted it"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defer_unhandled_shows_where_an_error_nobody_handles_goes)
{
    const auto got = run({"defer-unhandled"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"A handler threw, and run() threw it on: oops",
                                   "A coroutine threw, and co_spawn's handler got: oops",
                                   "A coroutine spawned detached threw, and nothing said so.", "Finished"}),
               boost::test_tools::per_element());
}

// --- Part 18: sets of operations -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(deferred_list_1_shows_an_empty_group_never_completing)
{
    const auto got = run({"deferred-list-1"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines ==
                   (lines{"Empty set.", "Waiting on it.",
                          "run() returned, and the group's handler was never called: it has no operation",
                          "to wait for. So the empty set is checked by hand:", "We got: []", "completion order: []"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deferred_lists_give_results_in_list_order_and_the_completion_order_beside)
{
    const std::vector<std::pair<std::string, lines>> programs{
        {"deferred-list-2", {"Delivering d1.", "We got: [(ok, \"d1 result\")]", "completion order: [d1]"}},
        {"deferred-list-3",
         {"Delivering d1.", "Delivering d2.", "We got: [(ok, \"d1 result\"), (ok, \"d2 result\")]",
          "completion order: [d1, d2]"}},
        {"deferred-list-4",
         {"Delivering d2.", "Delivering d1.", "We got: [(ok, \"d1 result\"), (ok, \"d2 result\")]",
          "completion order: [d2, d1]"}},
        {"deferred-list-5",
         {"Delivering d1.", "Failing d2.", "We got: [(ok, \"d1 result\"), (failed, \"d2 failure\")]",
          "completion order: [d1, d2]"}}};
    for (const auto& [program, expected] : programs)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto got = run({program});
            BOOST_TEST(got.status == 0, got.err);
            BOOST_TEST(got.lines == expected, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(deferred_list_6_stops_at_the_first_failure_and_cancels_the_rest)
{
    const auto start = std::chrono::steady_clock::now();
    const auto trace = trace_path("deferred-list-6");
    // A second of 1 s: the failure at 1 s, the others due at 2 and 3 s.
    const auto got = run({"deferred-list-6", "--trace", trace});
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines ==
                   (lines{"Waiting for d1 (2 s), d2 (a failure, 1 s) and d3 (3 s), until the first failure.",
                          "We got: [(failed, \"Operation canceled\"), (failed, \"d2 failure\"), (failed, \"Operation "
                          "canceled\")]",
                          "completion order: [d2, d1, d3]"}),
               boost::test_tools::per_element());
    BOOST_TEST(took >= 1s); // the failure's own second
    // Every lane ends once: d2's failure first, then the two it cut short.
    BOOST_TEST(events_of(trace) == (lines{"start", "start", "start", "failed", "cancelled", "cancelled"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deferred_list_7_waits_for_the_first_and_for_an_operation_that_ignores_cancellation)
{
    const auto got = run({"deferred-list-7"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"d1 in 1 s, d2 in 3 s, both timers: the first wins, the other is cancelled.",
                                   "We got: [(ok, \"d1 result\"), (failed, \"Operation canceled\")]",
                                   "completion order: [d1, d2]", "",
                                   "d1 in 1 s, d2 delivered in 3 s to an operation with no cancellation handler.",
                                   "We got: [(ok, \"d1 result\"), (ok, \"d2 result, delivered anyway\")]",
                                   "completion order: [d1, d2]"}),
               boost::test_tools::per_element());
}

// --- Part 19: cancellation ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(defer_cancel_1_to_8_cancel_before_and_after_with_and_without_a_cancellation_handler)
{
    const lines aborted{"errback got: Operation canceled", "done"};
    const std::vector<std::pair<std::string, lines>> programs{
        {"defer-cancel-1", {"done"}}, // completed (run() returned), its error unseen by a handler that does not look
        {"defer-cancel-2", aborted},
        {"defer-cancel-3", {"callback got: result", "done"}},
        {"defer-cancel-4",
         {"errback got: Operation canceled",
          "the result, after the cancellation: already called: the operation had its result, and its handler was "
          "called once",
          "done"}},
        {"defer-cancel-5", {"I need to cancel this operation.", "errback got: Operation canceled", "done"}},
        {"defer-cancel-6",
         {"I need to cancel this operation.", "Completing it with a result.", "callback got: result", "done"}},
        {"defer-cancel-7",
         {"I need to cancel this operation.", "Completing it with an error.", "errback got: error!", "done"}},
        {"defer-cancel-8", {"callback got: result", "done"}}}; // its cancellation handler never called
    for (const auto& [program, expected] : programs)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto got = run({program});
            BOOST_TEST(got.status == 0, got.err);
            BOOST_TEST(got.lines == expected, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(defer_cancel_9_to_11_a_poem_in_five_seconds_cancelled_at_two)
{
    const std::string poem = "I got a poem: A poem five seconds in the making.";
    const auto left_alone = run({"defer-cancel-9", "--second", "0.1"});
    BOOST_TEST(left_alone.status == 0, left_alone.err);
    BOOST_TEST(left_alone.lines == (lines{"Sending poem", poem}), boost::test_tools::per_element());

    // No cancellation handler: the request changes nothing, and the late poem arrives anyway.
    const auto ignored_trace = trace_path("defer-cancel-10");
    const auto ignored = run({"defer-cancel-10", "--second", "0.1", "--trace", ignored_trace});
    BOOST_TEST(ignored.status == 0, ignored.err);
    BOOST_TEST(ignored.lines == (lines{"Cancelling the poem at 2 s.", "Sending poem", poem}),
               boost::test_tools::per_element());
    BOOST_TEST(events_of(ignored_trace) == (lines{"start", "cancel", "done"}), boost::test_tools::per_element());

    // A cancellation handler stops the timer: the handler is called once, with
    // operation_aborted, and no poem is sent after it.
    const auto trace = trace_path("defer-cancel-11");
    const auto cancelled = run({"defer-cancel-11", "--second", "0.1", "--trace", trace});
    BOOST_TEST(cancelled.status == 0, cancelled.err);
    BOOST_TEST(cancelled.lines == (lines{"Cancelling the poem at 2 s.", "get_poem failed: Operation canceled"}),
               boost::test_tools::per_element());
    // Its lane: asked to cancel, cancelled, and nothing after (no late poem).
    BOOST_TEST(events_of(trace) == (lines{"start", "cancel", "cancelled"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defer_cancel_12_cancelling_a_coroutine_reaches_the_operation_it_awaits)
{
    const auto got = run({"defer-cancel-12"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines ==
                   (lines{"first outer step, waiting for the inner operation", "cancelling the outer coroutine.",
                          "inner cancellation handler.", "outer error handler got: Operation canceled", "done"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_deferred_program_answers_help_and_version)
{
    std::vector<std::string> programs{"defer-1", "defer-2", "defer-3", "defer-4",  "defer-5",  "defer-6",
                                      "defer-7", "defer-8", "defer-9", "defer-10", "defer-11", "defer-unhandled"};
    for (int n = 1; n <= 7; ++n)
        programs.push_back("deferred-list-" + std::to_string(n));
    for (int n = 1; n <= 12; ++n)
        programs.push_back("defer-cancel-" + std::to_string(n));
    for (const auto& program : programs)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto help = run({program, "--help"});
            BOOST_TEST(help.status == 0);
            BOOST_TEST(help.out.find("Usage: " + program) == 0u, help.out);
            BOOST_TEST(help.out.find(program + ": ") != std::string::npos, help.out); // "Part 7's defer-1: ..."
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
