#include "common/task_report.hpp"

#include <cstdio>

namespace poetry {
namespace {

void
say(const std::string& line)
{
    std::fputs((line + "\n").c_str(), stderr);
}

// "30 s", "0.5 s"
std::string
seconds(clock::duration d)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g s", std::chrono::duration<double>(d).count());
    return text;
}

bool
is_malformed_netstring(error_code ec)
{
    return ec == errc::netstring_bad_length || ec == errc::netstring_empty_length ||
           ec == errc::netstring_leading_zero || ec == errc::netstring_no_comma;
}

// Why a step failed, in words a user who just killed a server can act on. `silence` is
// what a timeout after connecting means for the step ("nothing arrived"), `after` what
// came before it ("after 120 bytes"; empty: nothing to say).
std::string
reason(error_code ec, clock::duration timeout, const std::string& silence, const std::string& after = {})
{
    if (ec == errc::connect_timeout)
        return "could not connect within " + seconds(timeout);
    if (ec == errc::idle_timeout)
        return "connected, but " + silence + " for " + seconds(timeout) + (after.empty() ? "" : " (" + after + ")");
    if (is_malformed_netstring(ec))
        return "its reply is not a netstring (" + ec.message() + ")";
    return ec.message() + (after.empty() ? "" : " (" + after + ")");
}

} // namespace

// The download's progress: bytes so far, and when --verbose last spoke of them.
struct task_report::progress
{
    std::size_t total = 0;
    std::size_t unreported = 0;
    bool reported_once = false;
    clock::time_point last_line;
};

task_report::task_report(const client_settings& settings, poem_task task)
    : settings_(settings)
    , task_(std::move(task))
    , progress_(std::make_shared<progress>())
{
}

fetch_options
task_report::download_options() const
{
    fetch_options options = settings_.fetch;
    options.on_connected = [&settings = settings_, task = task_] {
        if (settings.trace)
            settings.trace->event(task.number, task.server, "connect");
        if (settings.verbose)
            say("Task " + std::to_string(task.number) + ": connected to " + to_string(task.server));
    };
    // Every byte is counted, for the failure message; --verbose speaks of the first chunk,
    // then at most once a second, so that a slow server's hundreds of chunks stay readable.
    options.on_bytes = [&settings = settings_, task = task_, p = progress_](std::size_t n) {
        p->total += n;
        p->unreported += n;
        if (settings.trace)
            settings.trace->event(task.number, task.server, "bytes", n);
        const auto now = clock::now();
        if (!settings.verbose || (p->reported_once && now - p->last_line < std::chrono::seconds(1)))
            return;
        const std::string name = "Task " + std::to_string(task.number) + ": got ";
        if (!p->reported_once)
            say(name + std::to_string(n) + " bytes of poetry from " + to_string(task.server));
        else
            say(name + std::to_string(p->unreported) + " more bytes of poetry from " + to_string(task.server) + " (" +
                std::to_string(p->total) + " in all)");
        p->reported_once = true;
        p->unreported = 0;
        p->last_line = now;
    };
    return options;
}

transform_options
task_report::transform_request_options() const
{
    poetry::transform_options options = settings_.xform;
    if (settings_.verbose)
        options.on_connected = [&settings = settings_, task = task_] {
            say("Task " + std::to_string(task.number) + ": connected to the transform server " +
                to_string(settings.transform_server));
        };
    return options;
}

void
task_report::download_failed(error_code ec) const
{
    const std::size_t bytes = progress_->total;
    const std::string after = bytes > 0 ? "after " + std::to_string(bytes) + " bytes" : "";
    // A transform server never speaks first: the usual mistake is its address in a poem's place.
    const std::string hint = ec == errc::idle_timeout && bytes == 0 && settings_.transform
                                 ? "; a transform server waits for a request and never sends: if this is one, "
                                   "its address goes first"
                                 : "";
    say("The poem download failed: " + to_string(task_.server) + ": " +
        reason(ec, settings_.fetch.idle_timeout, "nothing arrived", after) + hint);
    if (settings_.trace)
        settings_.trace->event(task_.number, task_.server, "failed", bytes);
    if (settings_.verbose)
        say("Task " + std::to_string(task_.number) + ": failed after " + std::to_string(bytes) + " bytes");
}

void
task_report::poem_received(std::size_t bytes) const
{
    if (settings_.verbose)
        say("Task " + std::to_string(task_.number) + ": poem done: " + std::to_string(bytes) + " bytes from " +
            to_string(task_.server));
}

void
task_report::transform_started() const
{
    if (settings_.trace)
        settings_.trace->event(task_.number, task_.server, "transform");
}

void
task_report::transform_failed(error_code ec) const
{
    // "Cummingsify failed", as the tutorial's clients say; another transform by its name.
    const std::string name = settings_.transform.value_or("cummingsify");
    // A poetry server answers any request with its poem: the usual mistake is its address first.
    const std::string hint = is_malformed_netstring(ec) ? "; a poetry server answers with a poem: if this is "
                                                          "one, the first address should be the transform server's"
                                                        : "";
    say((name == "cummingsify" ? std::string("Cummingsify") : "The transform '" + name + "'") +
        " failed for the poem from " + to_string(task_.server) + ": transform server " +
        to_string(settings_.transform_server) + ": " + reason(ec, settings_.xform.idle_timeout, "no progress") + hint);
    if (settings_.trace)
        settings_.trace->event(task_.number, task_.server, "transform-failed");
    if (settings_.verbose)
        say("Task " + std::to_string(task_.number) + ": keeping the poem as it was");
}

void
task_report::done() const
{
    if (settings_.trace)
        settings_.trace->event(task_.number, task_.server, "done");
}

} // namespace poetry
