// poetry-bench, and the servers' --threads, as programs.
#include "child_process.hpp"
#include "raw_client.hpp"

#include <boost/test/unit_test.hpp>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

struct finished
{
    int status;
    std::string out;
    std::string err;
};

finished
run_to_exit(std::vector<std::string> argv)
{
    child_process child(std::move(argv));
    std::string out = child.read_all(30s);
    const int status = child.wait(30s);
    BOOST_TEST_REQUIRE(status != child_process::still_running, "did not exit");
    return {status, std::move(out), child.error_text()};
}

// The value of `key` in the RESULT line of `out`.
std::string
result_value(const std::string& out, const std::string& key)
{
    const auto line = out.rfind("RESULT ");
    const auto at = out.find(" " + key + "=", line);
    if (line == std::string::npos || at == std::string::npos)
        return {};
    const auto start = at + key.size() + 2;
    return out.substr(start, out.find_first_of(" \n", start) - start);
}

} // namespace

BOOST_AUTO_TEST_SUITE(bench_e2e)

BOOST_AUTO_TEST_CASE(fetch_against_a_threaded_fastpoetry)
{
    const auto poem = poem_path("harbour-lights.txt");
    auto server = start_server_process({program_path("fastpoetry"), "--quiet", "--threads", "2", poem});
    const auto run = run_to_exit({program_path("poetry-bench"), "fetch", "--cycles", "500", "--connections", "8",
                                  "--threads", "2", "--expect", poem, "--server-pid",
                                  std::to_string(server.process->pid()), std::to_string(server.port)});
    BOOST_TEST(run.status == 0, run.out << run.err);
    BOOST_TEST(result_value(run.out, "completed") == "500", run.out);
    BOOST_TEST(result_value(run.out, "errors") == "0");
    BOOST_TEST(result_value(run.out, "mismatches") == "0");
    BOOST_TEST(!result_value(run.out, "server_cpu_us").empty(), run.out);
}

BOOST_AUTO_TEST_CASE(xform_against_a_threaded_transformedpoetry)
{
    auto server = start_server_process({program_path("transformedpoetry"), "--quiet", "--threads", "2"});
    const auto run = run_to_exit({program_path("poetry-bench"), "xform", "--cycles", "200", "--poem",
                                  poem_path("travellers-alphabet.txt"), std::to_string(server.port)});
    BOOST_TEST(run.status == 0, run.out << run.err);
    BOOST_TEST(result_value(run.out, "completed") == "200", run.out);
    BOOST_TEST(result_value(run.out, "mismatches") == "0");
}

BOOST_AUTO_TEST_CASE(failed_connections_make_exit_status_1)
{
    // Nothing listens on port 1 of the loopback interface.
    const auto run = run_to_exit({program_path("poetry-bench"), "fetch", "--cycles", "5", "1"});
    BOOST_TEST(run.status == 1);
    BOOST_TEST(result_value(run.out, "errors") == "5", run.out);
    BOOST_TEST(run.out.find("x connect: Connection refused") != std::string::npos, run.out);
    // No cycle completed: a cost per cycle would be a division by nothing.
    BOOST_TEST(run.out.find("client cpu  n/a (no cycle completed)") != std::string::npos, run.out);
}

BOOST_AUTO_TEST_CASE(more_connections_than_descriptors_are_refused_at_once)
{
    auto server = start_server_process({program_path("fastpoetry"), "--quiet", poem_path("small-hours.txt")});
    const auto run = run_to_exit({program_path("poetry-bench"), "fetch", "--connections", "1000000", "--duration", "1",
                                  std::to_string(server.port)});
    BOOST_TEST(run.status == 1);
    BOOST_TEST(run.err.find("--connections 1000000 needs") != std::string::npos, run.err);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_naming_the_value)
{
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"fetchh", "10000"}, "invalid mode 'fetchh'"},
        {{"fetch", "--connections", "0", "10000"}, "--connections '0'"},
        {{"fetch", "--threads", "9", "--connections", "4", "10000"}, "--threads '9'"},
        {{"fetch", "10000x"}, "invalid address '10000x'"},
        {{"xform", "10000"}, "xform needs --poem"},
        {{"fetch"}, "the server's ADDRESS"},
    };
    for (const auto& [args, message] : cases)
    {
        std::vector<std::string> argv{program_path("poetry-bench")};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto run = run_to_exit(argv);
        BOOST_TEST_CONTEXT(message)
        {
            BOOST_TEST(run.status == 2);
            BOOST_TEST(run.err.find(message) != std::string::npos, run.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(servers_refuse_a_bad_thread_count)
{
    for (const auto& program : {"fastpoetry", "transformedpoetry"})
    {
        std::vector<std::string> argv{program_path(program), "--threads", "0"};
        if (std::string(program) == "fastpoetry")
            argv.push_back(poem_path("harbour-lights.txt"));
        const auto run = run_to_exit(argv);
        BOOST_TEST_CONTEXT(program)
        {
            BOOST_TEST(run.status == 2);
            BOOST_TEST(run.err.find("invalid --threads '0'") != std::string::npos, run.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(help_texts_say_what_the_programs_do)
{
    const auto client = run_to_exit({program_path("get-poetry-7"), "--help"});
    BOOST_TEST(client.status == 0);
    BOOST_TEST(client.out.find("transform-failed") != std::string::npos, client.out);

    const auto demo = run_to_exit({std::string(POETRY_SOURCE_DIR) + "/scripts/demo.sh", "--help"});
    BOOST_TEST(demo.status == 0);
    BOOST_TEST(demo.out.starts_with("The tutorial's demonstration"), demo.out);
    BOOST_TEST(demo.out.find("set -e") == std::string::npos, demo.out);

    const auto stress = run_to_exit({std::string(POETRY_SOURCE_DIR) + "/scripts/stress-tests.sh", "many"});
    BOOST_TEST(stress.status == 2);
    BOOST_TEST(stress.err.find("invalid RUNS 'many'") != std::string::npos, stress.err);
}

BOOST_AUTO_TEST_SUITE_END()
