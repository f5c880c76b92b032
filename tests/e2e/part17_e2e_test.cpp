// Part 17's teaching programs print what the tutorial's originals print.
#include "child_process.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

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

} // namespace

BOOST_AUTO_TEST_SUITE(part17_e2e)

BOOST_AUTO_TEST_CASE(generators_print_what_the_originals_print)
{
    const lines counting{"starting up", "1", "workin'", "2", "still workin'", "3", "done"};
    const std::vector<std::pair<std::string, lines>> cases{
        {"gen-1", counting},
        {"gen-2", counting},
        {"gen-3", {"1", "10", "2", "20", "3", "30", "40"}},
        {"gen-4", {"starting up", "1", "got: 10", "2", "got: 20", "3", "malfunction!", "4", "done"}},
    };
    for (const auto& [program, expected] : cases)
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto got = run({program});
            BOOST_TEST(got.status == 0, got.err);
            BOOST_TEST(got.lines == expected, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(inline_callbacks_1_awaits_a_value_a_timer_and_a_failure)
{
    const auto got = run({"inline-callbacks-1", "--delay", "0.05"});
    BOOST_TEST(got.status == 0, got.err);
    const lines expected{"first callback", "second callback got 1", "third callback got 2",
                         "fourth callback got Exception(3)"};
    BOOST_TEST(got.lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(inline_callbacks_2_interleaves_two_coroutines)
{
    // Timers of 2 and 3 "seconds" of 0.25 s: the events of the two are at least 0.25 s apart.
    const auto got = run({"inline-callbacks-2", "--second", "0.25"});
    BOOST_TEST(got.status == 0, got.err);
    const lines expected{"my_callbacks_1 first callback",
                         "my_callbacks_err first callback",
                         "my_callbacks_1 second callback",
                         "my_callbacks_err second callback",
                         "my_callbacks_1 third callback",
                         "got result: 1",
                         "my_callbacks_err third callback",
                         "got error: uh oh",
                         "all done"};
    BOOST_TEST(got.lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(inline_callbacks_tb_shows_the_event_loop_beneath_the_coroutine)
{
    const auto got = run({"inline-callbacks-tb"});
    BOOST_TEST(got.status == 0, got.err);
    BOOST_TEST_REQUIRE(got.lines.size() >= 3u, got.out);
    // Only the stack, as the original prints only its traceback: frame 0 first.
    BOOST_TEST(got.lines[0].rfind(" 0# ", 0) == 0u, got.lines[0]);
    // Our coroutine near the top; the event loop's run() further down.
    const auto at = [&](const std::string& name) { return got.out.find(name); };
    BOOST_TEST(at("my_callbacks") != std::string::npos, got.out);
    BOOST_TEST(at("io_context::run") != std::string::npos, got.out);
    BOOST_TEST(at("my_callbacks") < at("io_context::run"), got.out);
    BOOST_TEST(at("scheduler::do_run_one") != std::string::npos, got.out);
}

BOOST_AUTO_TEST_CASE(every_program_answers_help_and_version_and_refuses_arguments)
{
    for (const auto* program :
         {"gen-1", "gen-2", "gen-3", "gen-4", "inline-callbacks-1", "inline-callbacks-2", "inline-callbacks-tb"})
    {
        BOOST_TEST_CONTEXT(program)
        {
            const auto help = run({program, "--help"});
            BOOST_TEST(help.status == 0);
            BOOST_TEST(help.out.find("Part 17's") != std::string::npos, help.out);
            const auto version = run({program, "--version"});
            BOOST_TEST(version.status == 0);
            BOOST_TEST(version.out.find(program) == 0u, version.out);
            const auto extra = run({program, "surplus"});
            BOOST_TEST(extra.status == 2);
            BOOST_TEST(extra.out.empty(), extra.out);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
