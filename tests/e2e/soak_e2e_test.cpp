// A bounded soak: all three servers under a mixed load of the clients while the
// slow server is killed and restarted at random. Every poem is checked byte for
// byte; at the end the long-lived servers hold no more descriptors than at the
// start, their memory has not grown, and they stop cleanly on SIGTERM (under
// AddressSanitizer, that is where a leak would show).
//
// POETRY_SOAK_SECONDS sets the length (default 5); scripts/soak.sh runs it longer.
#include "ascii.hpp"
#include "child_process.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <random>
#include <sstream>
#include <thread>

using namespace poetry::test;
using namespace std::chrono_literals;

namespace {

std::chrono::seconds
soak_length()
{
    const char* text = std::getenv("POETRY_SOAK_SECONDS");
    const int seconds = text ? std::atoi(text) : 5;
    return std::chrono::seconds(std::clamp(seconds, 1, 24 * 3600));
}

std::string
port_of(const started_server& server)
{
    return std::to_string(server.port);
}

std::vector<std::string>
sorted_lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
}

// One client run of a round, started at once and checked when it ends.
struct client_check
{
    std::string what;
    std::unique_ptr<child_process> process;
    std::function<std::string(int status, const std::string& out, const std::string& err)> verdict;
};

class soak
{
public:
    soak()
    {
        // Warm up once, so that memory allocated on first use is in the baseline.
        child_process warm({program_path("get-poetry-7"), port_of(xform_), port_of(fast_a_), port_of(fast_b_)});
        warm.read_all(20s);
        BOOST_TEST_REQUIRE(warm.wait(20s) == 0, warm.error_text());
        for (const auto* server : long_lived())
            before_.push_back(usage_of(server->process->pid()));
    }

    /// Four rounds at once, each with three client runs; the slow server may be killed meanwhile.
    void run_rounds(int first_round)
    {
        std::vector<client_check> checks;
        for (int round = first_round; round < first_round + 4; ++round)
            start_round(round, checks);
        if (chance_(random_) == 0)
            restart_slow_server();
        for (client_check& check : checks)
        {
            const std::string out = check.process->read_all(30s);
            const int status = check.process->wait(30s);
            const std::string problem = status == child_process::still_running
                                            ? "did not exit"
                                            : check.verdict(status, out, check.process->error_text());
            if (!problem.empty())
                mismatches_.push_back(check.what + ": " + problem);
            ++poems_;
        }
    }

    /// Descriptors back to the start (waiting out the lingering closes), memory within 2 MiB.
    void check_no_growth()
    {
        const auto servers = long_lived();
        for (std::size_t i = 0; i < servers.size(); ++i)
        {
            const int pid = servers[i]->process->pid();
            const auto deadline = std::chrono::steady_clock::now() + 10s;
            while (usage_of(pid).open_files > before_[i].open_files && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(50ms); // polling a figure, bounded by the deadline
            const auto after = usage_of(pid);
            BOOST_TEST(after.open_files <= before_[i].open_files, names_[i] << " holds " << after.open_files
                                                                            << " descriptors, " << before_[i].open_files
                                                                            << " at the start");
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
            // The sanitizers keep freed memory in quarantine: there, the exit check below stands for this one.
            BOOST_TEST(after.rss_kib <= before_[i].rss_kib + 2048,
                       names_[i] << " grew from " << before_[i].rss_kib << " to " << after.rss_kib << " KiB");
#endif
        }
    }

    /// SIGTERM: each long-lived server stops with status 0 (LeakSanitizer would make it fail).
    void check_clean_stop()
    {
        const auto servers = long_lived();
        for (std::size_t i = 0; i < servers.size(); ++i)
        {
            servers[i]->process->send_signal(SIGTERM);
            const int status = servers[i]->process->wait(30s);
            BOOST_TEST(status == 0,
                       names_[i] << " stopped with status " << status << ": " << servers[i]->process->error_text());
        }
    }

    const std::vector<std::string>& mismatches() const
    {
        return mismatches_;
    }
    int poems() const
    {
        return poems_;
    }
    int kills() const
    {
        return kills_;
    }

private:
    std::vector<const started_server*> long_lived() const
    {
        return {&xform_, &fast_a_, &fast_b_};
    }

    void start_round(int round, std::vector<client_check>& checks)
    {
        const std::string client = round % 2 ? "get-poetry-7" : "get-poetry-6";
        const std::string name = "round " + std::to_string(round) + ": " + client;
        const auto start = [&](std::string what, std::vector<std::string> args, auto verdict) {
            args.insert(args.begin(), {program_path(client), "--timeout", "10"});
            checks.push_back({name + " " + what, std::make_unique<child_process>(std::move(args)), verdict});
        };
        // Through the transform server: both fast poems, lower-cased, in either order.
        start("transformed", {port_of(xform_), port_of(fast_a_), port_of(fast_b_)},
              [this](int status, const std::string& out, const std::string& err) -> std::string {
                  if (status != 0)
                      return "exit status " + std::to_string(status) + ": " + err;
                  return sorted_lines(out) == transformed_ ? "" : "transformed poems differ";
              });
        // Straight from a fast server: the file, byte for byte.
        start("fast", {"--no-xform", port_of(fast_a_)},
              [this](int status, const std::string& out, const std::string& err) -> std::string {
                  if (status != 0)
                      return "exit status " + std::to_string(status) + ": " + err;
                  return out == harbour_ + "\n" ? "" : "the poem differs from its file";
              });
        // From the slow server, which may be killed meanwhile: a prefix of the file, or a reported failure.
        start("slow", {"--no-xform", port_of(slow_)},
              [this](int status, const std::string& out, const std::string& err) -> std::string {
                  if (status == 1)
                      return err.find("The poem download failed") != std::string::npos ? "" : "failure not reported";
                  if (status != 0)
                      return "exit status " + std::to_string(status);
                  if (out.empty() || out.back() != '\n' || !alphabet_.starts_with(out.substr(0, out.size() - 1)))
                      return "the poem is not a prefix of its file";
                  return "";
              });
    }

    void restart_slow_server()
    {
        const std::string port = port_of(slow_);
        slow_.process->send_signal(SIGKILL);
        slow_.process->wait(10s);
        slow_ = start_server_process({program_path("slowpoetry"), "--quiet", "--port", port, "--num-bytes", "50",
                                      "--delay", "0.02", poem_path("travellers-alphabet.txt")});
        ++kills_;
    }

    const std::string harbour_ = file_text(poem_path("harbour-lights.txt"));
    const std::string alphabet_ = file_text(poem_path("travellers-alphabet.txt"));
    // Both fast poems are ASCII, so cummingsify is plain lower-casing (the parity test covers Unicode).
    const std::vector<std::string> transformed_ =
        sorted_lines(lower_ascii(harbour_) + "\n" + lower_ascii(file_text(poem_path("long-road-home.txt"))) + "\n");

    started_server xform_ = start_server_process({program_path("transformedpoetry"), "--quiet"});
    started_server fast_a_ =
        start_server_process({program_path("fastpoetry"), "--quiet", poem_path("harbour-lights.txt")});
    started_server fast_b_ =
        start_server_process({program_path("fastpoetry"), "--quiet", poem_path("long-road-home.txt")});
    started_server slow_ = start_server_process({program_path("slowpoetry"), "--quiet", "--num-bytes", "50", "--delay",
                                                 "0.02", poem_path("travellers-alphabet.txt")});
    const std::vector<std::string> names_{"transformedpoetry", "fastpoetry (harbour)", "fastpoetry (road)"};

    std::vector<process_usage> before_;
    std::vector<std::string> mismatches_;
    int poems_ = 0;
    int kills_ = 0;
    std::mt19937 random_{std::random_device{}()};
    std::uniform_int_distribution<int> chance_{0, 2}; // one time in three
};

} // namespace

BOOST_AUTO_TEST_SUITE(soak_e2e)

BOOST_AUTO_TEST_CASE(servers_stay_correct_and_lean_under_load_and_kills)
{
    soak run;
    const auto end = std::chrono::steady_clock::now() + soak_length();
    int rounds = 0;
    while (std::chrono::steady_clock::now() < end)
    {
        run.run_rounds(rounds + 1);
        rounds += 4;
    }
    for (const std::string& mismatch : run.mismatches())
        BOOST_TEST_MESSAGE(mismatch);
    BOOST_TEST(run.mismatches().empty(), run.mismatches().size()
                                             << " mismatches, the first: "
                                             << (run.mismatches().empty() ? "" : run.mismatches()[0]));
    run.check_no_growth();
    run.check_clean_stop();
    BOOST_TEST(rounds > 0);
    BOOST_TEST_MESSAGE("soak: " << soak_length().count() << " s, " << rounds << " rounds, " << run.poems()
                                << " client runs checked, " << run.kills() << " kills and restarts, "
                                << run.mismatches().size() << " mismatches");
}

BOOST_AUTO_TEST_SUITE_END()
