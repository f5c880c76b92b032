// Every program's command line, refused as the user typed it: each numeric
// option with negative, zero, huge, non-numeric and empty values.
#include "child_process.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

// Values that no numeric option takes, and the ones only some refuse.
const std::vector<std::string> never_valid{"-1", "99999999999999999999999", "abc", "", "12x"};
const std::string zero = "0";

struct option_case
{
    std::string option;
    bool zero_is_valid;
};

struct program_case
{
    std::string program;
    std::vector<std::string> rest; // what makes the command line otherwise valid
    std::vector<option_case> options;
};

const std::vector<option_case> server_options{{"--port", true}, {"--max-connections", false}};

std::vector<option_case>
with(std::vector<option_case> common, const std::vector<option_case>& own)
{
    common.insert(common.end(), own.begin(), own.end());
    return common;
}

std::vector<program_case>
programs()
{
    const std::string poem = poem_path("small-hours.txt");
    const std::vector<option_case> client_options{{"--timeout", true}, {"--max-total", false}};
    return {
        {"fastpoetry", {poem}, with(server_options, {{"--threads", false}, {"--write-timeout", true}})},
        {"slowpoetry",
         {poem},
         with(server_options, {{"--delay", true}, {"--num-bytes", false}, {"--write-timeout", true}})},
        {"transformedpoetry",
         {},
         with(server_options, {{"--threads", false},
                               {"--max-length", true},
                               {"--max-buffered", false},
                               {"--idle-timeout", true},
                               {"--request-timeout", true},
                               {"--workers", true},
                               {"--fail-rate", true},
                               {"--seed", true}})},
        {"poetry-proxy", {"10002"}, with(server_options, {{"--timeout", true}, {"--max-poem", false}})},
        {"get-poetry-6", {"10001", "10002"}, client_options},
        {"get-poetry-7", {"10001", "10002"}, client_options},
        {"get-poetry-8", {"10001", "10002"}, client_options},
        {"poetry-bench",
         {"fetch", "10002"},
         {{"--connections", false},
          {"--cycles", false},
          {"--duration", true},
          {"--expect-bytes", true},
          {"--time-limit", true},
          {"--connect-burst", false},
          {"--threads", false},
          {"--server-pid", false}}},
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(command_line_e2e)

BOOST_AUTO_TEST_CASE(every_numeric_option_is_checked_as_typed)
{
    for (const auto& program : programs())
        for (const auto& [option, zero_is_valid] : program.options)
        {
            auto values = never_valid;
            if (!zero_is_valid)
                values.push_back(zero);
            for (const auto& value : values)
            {
                BOOST_TEST_CONTEXT(program.program << " " << option << " '" << value << "'")
                {
                    std::vector<std::string> argv{program_path(program.program), option, value};
                    argv.insert(argv.end(), program.rest.begin(), program.rest.end());
                    child_process child(argv);
                    BOOST_TEST(child.wait(10s) == 2);
                    const std::string expected = "invalid " + option + " '" + value + "': give ";
                    BOOST_TEST(child.error_text().find(expected) != std::string::npos, child.error_text());
                }
            }
        }
}

BOOST_AUTO_TEST_CASE(a_port_in_use_is_refused_with_threads_too)
{
    const std::string poem = poem_path("small-hours.txt");
    auto holder = start_server_process({program_path("fastpoetry"), "--threads", "2", poem});
    const std::string port = std::to_string(holder.port);
    for (const auto& argv : std::vector<std::vector<std::string>>{
             {program_path("fastpoetry"), "--threads", "2", "--port", port, poem},
             {program_path("transformedpoetry"), "--threads", "2", "--port", port},
             {program_path("fastpoetry"), "--port", port, poem},
         })
    {
        BOOST_TEST_CONTEXT(argv[0] << " " << argv[1] << " " << argv[2])
        {
            child_process second(argv);
            BOOST_TEST(second.wait(10s) == 1);
            BOOST_TEST(second.error_text().find("cannot bind 127.0.0.1:" + port + ": Address already in use") !=
                           std::string::npos,
                       second.error_text());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
