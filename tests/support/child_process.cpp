#include "child_process.hpp"

#include <thread>

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace poetry::test {

std::string
program_path(const std::string& name)
{
    return std::string(POETRY_BIN_DIR) + "/" + name;
}

std::string
poem_path(const std::string& name)
{
    return std::string(POETRY_SOURCE_DIR) + "/poetry/" + name;
}

std::string
file_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

child_process::child_process(std::vector<std::string> argv, error_output errors)
{
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");

    int stderr_fd = -1;
    if (errors == error_output::unread_pipe)
    {
        int error_fds[2];
        if (::pipe2(error_fds, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe failed");
        ::fcntl(error_fds[0], F_SETPIPE_SZ, 4096); // the smallest: a reader that stalls at once
        stderr_pipe_ = error_fds[0];
        stderr_fd = error_fds[1];
    }
    else
    {
        char path_template[] = "/tmp/poetry-test-stderr-XXXXXX";
        stderr_fd = ::mkstemp(path_template);
        if (stderr_fd < 0)
            throw std::runtime_error("mkstemp failed");
        stderr_path_ = path_template;
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    std::vector<char*> args;
    for (auto& a : argv)
        args.push_back(a.data());
    args.push_back(nullptr);
    const int err = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    ::close(stderr_fd);
    stdout_fd_ = pipe_fds[0];
    if (err != 0)
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(err));
}

child_process::~child_process()
{
    if (!status_ && pid_ > 0)
    {
        ::kill(pid_, SIGKILL);
        int status;
        ::waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0)
        ::close(stdout_fd_);
    if (stderr_pipe_ >= 0)
        ::close(stderr_pipe_);
    if (!stderr_path_.empty())
        ::unlink(stderr_path_.c_str());
}

std::optional<std::string>
child_process::read_line(std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;)
    {
        if (const auto newline = pending_.find('\n'); newline != std::string::npos)
        {
            std::string line = pending_.substr(0, newline);
            pending_.erase(0, newline + 1);
            return line;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{stdout_fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return std::nullopt;
        char buffer[4096];
        const auto n = ::read(stdout_fd_, buffer, sizeof buffer);
        if (n <= 0)
            return std::nullopt;
        pending_.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string
child_process::read_all(std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;)
    {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{stdout_fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            break;
        char buffer[65536];
        const auto n = ::read(stdout_fd_, buffer, sizeof buffer);
        if (n <= 0)
            break;
        pending_.append(buffer, static_cast<std::size_t>(n));
    }
    return std::exchange(pending_, {});
}

void
child_process::send_signal(int signal)
{
    if (!status_)
        ::kill(pid_, signal);
}

int
child_process::wait(std::chrono::milliseconds limit)
{
    if (status_)
        return *status_;
    // A pidfd becomes readable when the child exits: poll it with the bound.
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd >= 0)
    {
        pollfd p{pidfd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(limit.count()));
        ::close(pidfd);
    }
    int status = 0;
    if (::waitpid(pid_, &status, pidfd >= 0 ? WNOHANG : 0) != pid_)
        return still_running;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *status_;
}

bool
child_process::wait_for_error_text(const std::string& text, std::chrono::milliseconds limit) const
{
    return wait_for_error_text(text, 1, limit);
}

bool
child_process::wait_for_error_text(const std::string& text, std::size_t count, std::chrono::milliseconds limit) const
{
    const auto occurrences = [&] {
        const std::string all = error_text();
        std::size_t found = 0;
        for (auto at = all.find(text); at != std::string::npos && found < count; at = all.find(text, at + text.size()))
            ++found;
        return found;
    };
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (occurrences() < count)
    {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // stderr is a file: there is no event to wait on
    }
    return true;
}

bool
child_process::read_error_pipe(const std::string& text, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (piped_errors_.find(text) == std::string::npos)
    {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{stderr_pipe_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return false;
        char buffer[65536];
        const auto n = ::read(stderr_pipe_, buffer, sizeof buffer);
        if (n <= 0)
            return false;
        piped_errors_.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
}

std::string
child_process::error_text() const
{
    if (stderr_pipe_ >= 0)
        return piped_errors_;
    std::ifstream in(stderr_path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

process_usage
usage_of(int pid)
{
    const std::string dir = pid == 0 ? "/proc/self" : "/proc/" + std::to_string(pid);
    process_usage usage;

    std::ifstream status(dir + "/status");
    for (std::string line; std::getline(status, line);)
    {
        if (line.rfind("VmRSS:", 0) == 0)
            usage.rss_kib = std::stol(line.substr(6));
        else if (line.rfind("VmHWM:", 0) == 0)
            usage.peak_rss_kib = std::stol(line.substr(6));
    }

    // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses.
    std::ifstream stat(dir + "/stat");
    const std::string text{std::istreambuf_iterator<char>(stat), {}};
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    long ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
        if (i >= 14)
            ticks += std::stol(field);
    usage.cpu_seconds = static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));

    usage.open_files = static_cast<int>(
        std::distance(std::filesystem::directory_iterator(dir + "/fd"), std::filesystem::directory_iterator{}));
    return usage;
}

started_server
start_server_process(std::vector<std::string> argv, error_output errors)
{
    started_server server;
    server.process = std::make_unique<child_process>(std::move(argv), errors);
    const auto line = server.process->read_line(std::chrono::seconds(10));
    BOOST_TEST_REQUIRE(line.has_value(), "no start-up line; stderr: " << server.process->error_text());
    // "Serving WHAT on HOST:PORT."
    const auto colon = line->rfind(':');
    BOOST_TEST_REQUIRE((line->rfind("Serving ", 0) == 0 && colon != std::string::npos && line->back() == '.'),
                       "unexpected start-up line: " << *line);
    server.port = static_cast<std::uint16_t>(std::stoi(line->substr(colon + 1)));
    return server;
}

finished_program
run_to_end(std::vector<std::string> argv, std::chrono::milliseconds limit)
{
    argv[0] = program_path(argv[0]);
    child_process child(std::move(argv));
    finished_program result;
    result.out = child.read_all(limit);
    result.status = child.wait(limit);
    result.err = child.error_text();
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);)
        result.lines.push_back(line);
    return result;
}

} // namespace poetry::test
