// Running the suite's programs from a test: stdout through a pipe, stderr to a
// file, and every wait bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poetry::test {

/// The path of a built program ("fastpoetry" -> build/bin/fastpoetry).
std::string program_path(const std::string& name);

/// The path of a poem in the repository's poetry/ folder.
std::string poem_path(const std::string& name);

/// A whole file's bytes ("" when it cannot be read).
std::string file_text(const std::string& path);

/// Where a child's stderr goes.
enum class error_output
{
    file,        // a file, read back by error_text()
    unread_pipe, // a small pipe that nobody reads until read_error_pipe(): a stalled log reader
};

class child_process
{
public:
    explicit child_process(std::vector<std::string> argv, error_output errors = error_output::file);
    ~child_process(); // kills the child if it still runs
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// The next line of stdout, without its newline; nothing on EOF or timeout.
    std::optional<std::string> read_line(std::chrono::milliseconds limit);

    /// All of stdout until the child closes it (bounded).
    std::string read_all(std::chrono::milliseconds limit);

    void send_signal(int signal);

    /// Returned by wait() when the child still runs after the limit.
    static constexpr int still_running = -1;

    /// The exit status (128 + signal for a killed child), or still_running after `limit`.
    int wait(std::chrono::milliseconds limit);

    /// What the child wrote on stderr so far (with error_output::unread_pipe: what
    /// read_error_pipe() has read of it).
    std::string error_text() const;

    /// error_output::unread_pipe: read the pipe until it has brought `text`, at most
    /// `limit`; false if it never did.
    bool read_error_pipe(const std::string& text, std::chrono::milliseconds limit);

    /// Wait (at most `limit`) until stderr holds `text`; false if it never did.
    bool wait_for_error_text(const std::string& text, std::chrono::milliseconds limit) const;

    /// Wait (at most `limit`) until stderr holds `text` at least `count` times; false if it never did.
    bool wait_for_error_text(const std::string& text, std::size_t count, std::chrono::milliseconds limit) const;

    int pid() const noexcept { return pid_; }

private:
    int pid_ = -1;
    int stdout_fd_ = -1;
    std::string stderr_path_;
    int stderr_pipe_ = -1;
    std::string piped_errors_; // read from stderr_pipe_ so far
    std::string pending_;      // stdout read but not yet returned
    std::optional<int> status_;
};

/// What /proc says of a process.
struct process_usage
{
    long rss_kib = 0;       // resident memory now (VmRSS)
    long peak_rss_kib = 0;  // the most it has been resident (VmHWM)
    double cpu_seconds = 0; // user + system time so far
    int open_files = 0;     // descriptors open now
};

/// Read `pid`'s figures from /proc (0: this process).
process_usage usage_of(int pid);

/// A program run to its end: its exit status, its stdout (whole and as lines), its stderr.
struct finished_program
{
    int status = -1;
    std::string out;
    std::vector<std::string> lines;
    std::string err;
};

/// Run a built program (argv[0] a name in build/bin) to its end, waiting at most `limit`
/// for its output and again for its exit.
finished_program run_to_end(std::vector<std::string> argv, std::chrono::milliseconds limit = std::chrono::seconds(30));

/// A server started from its program: waits for "Serving ... on HOST:PORT." and keeps the port.
struct started_server
{
    std::unique_ptr<child_process> process;
    std::uint16_t port = 0;
};

/// Start `argv` (a server) and read its start-up line; fails the test if it does not come within 10 s.
started_server start_server_process(std::vector<std::string> argv, error_output errors = error_output::file);

} // namespace poetry::test
