// The Deferred programs (examples/twisted-deferred), each tested for what it teaches: a
// handler called once with the result or the error, a second result refused, the step for
// both outcomes, a chain that waits for an inner operation, a result there before anyone
// waits, and where an error nobody handles goes.
#include "child_process.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

using lines = std::vector<std::string>;

finished_program
run(std::vector<std::string> argv)
{
    return run_to_end(std::move(argv), 30s);
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
    const std::vector<std::pair<std::string, std::string>> programs{
        {"defer-4", "First result"}, {"defer-5", "First result"}, {"defer-6", "First error"}, {"defer-7", "First error"}};
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
    BOOST_TEST(got.lines == (lines{"Three steps that print what they got and pass a value on:",
                                   "callback_1 got 0",
                                   "callback_2 got 1",
                                   "callback_3 got 2",
                                   "the chain's result: 3",
                                   "",
                                   "The second step starts an operation and waits for it:",
                                   "callback_1 got 0",
                                   "callback_2 got 1",
                                   "callback_3 has not run: the chain waits for the inner operation.",
                                   "callback_3 got 2",
                                   "the chain's result: 3",
                                   "",
                                   "The same chain as a coroutine:",
                                   "callback_1 got 0",
                                   "callback_2 got 1",
                                   "callback_3 has not run: the coroutine is suspended at its co_await.",
                                   "callback_3 got 2",
                                   "the chain's result: 3"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(defer_11_posts_a_result_already_there_and_dispatches_inside_the_loop)
{
    const auto got = run({"defer-11"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST(got.lines == (lines{"Delivering 0 before anyone waits.",
                                   "async_wait returned: the handler is queued, not called.",
                                   "handler got 0",
                                   "",
                                   "Delivering 1 from inside the loop to a waiting handler.",
                                   "handler got 1",
                                   "deliver returned: the handler ran inside it.",
                                   "",
                                   "Dispatch against post, from inside a handler.",
                                   "dispatched: runs at once",
                                   "the handler that posted and dispatched returns",
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

BOOST_AUTO_TEST_CASE(every_deferred_program_answers_help_and_version)
{
    for (const auto* program : {"defer-1", "defer-2", "defer-3", "defer-4", "defer-5", "defer-6", "defer-7", "defer-8",
                                "defer-9", "defer-10", "defer-11", "defer-unhandled"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto help = run({program, "--help"});
            BOOST_TEST(help.status == 0);
            BOOST_TEST(help.out.find("Usage: " + std::string(program)) == 0u, help.out);
            BOOST_TEST(help.out.find("defer") != std::string::npos, help.out);
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
