#include "load.hpp"

#include "event_loop.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <thread>
#include <vector>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace poetry::load {
namespace {

class load_run;

error_code
last_error()
{
    return {errno, boost::system::system_category()};
}

// One client connection; the run starts it again after each cycle while it may.
class load_connection final : public event_handler
{
public:
    explicit load_connection(load_run& run)
        : run_(run)
    {
    }
    load_connection(const load_connection&) = delete;
    load_connection& operator=(const load_connection&) = delete;
    ~load_connection() { close(); }

    void start();
    bool open() const noexcept { return fd_ >= 0; }
    void cut_off() { finish("time limit", asio::error::timed_out); }
    void on_events(std::uint32_t events) override;

private:
    void send_request();
    void read_available(bool peer_closed);
    void check_bytes(const char* data, std::size_t n);
    void report_connected();
    void finish(std::string_view step, error_code ec);
    void close() noexcept;

    load_run& run_;
    int fd_ = -1;
    std::size_t sent_ = 0;
    std::size_t received_ = 0;
    bool connect_reported_ = false;
    bool mismatch_ = false;
    clock::time_point started_;
};

// The run: hands out cycles, starts connections, collects what they measured.
class load_run
{
public:
    explicit load_run(const load_plan& plan)
        : plan_(plan)
        , reply_fits_buffer_(fits_receive_buffer(plan))
        , buffer_(64 * 1024)
    {
    }

    load_result run();

    const load_plan& plan() const noexcept { return plan_; }
    event_loop& loop() noexcept { return loop_; }

    /// Whether every reply is known to be small enough to sit whole in a socket's receive buffer.
    bool reply_fits_buffer() const noexcept { return reply_fits_buffer_; }
    std::vector<char>& buffer() noexcept { return buffer_; }

    /// A connection attempt ended, successfully or not: a burst-limited run starts the next one.
    void connect_ended();

    /// A connection ended a cycle: start it again, or let it rest.
    void cycle_ended(load_connection& connection);

    void record_success(clock::duration took, bool mismatch);
    void record_failure(std::string_view step, error_code ec);
    void record_bytes(std::size_t n) noexcept { result_.bytes += n; }

private:
    bool claim_cycle();
    void start_queued();
    void check_clock(clock::time_point now);

    static bool fits_receive_buffer(const load_plan& plan) noexcept
    {
        constexpr std::size_t small_reply = 32 * 1024; // loopback sockets buffer 128 KiB by default
        return (plan.expected_reply && plan.expected_reply->size() <= small_reply) ||
               (plan.expected_size && *plan.expected_size <= small_reply);
    }

    const load_plan& plan_;
    const bool reply_fits_buffer_;
    event_loop loop_;
    std::vector<char> buffer_; // every read lands here: one thread, one read at a time
    std::deque<load_connection> connections_;
    std::vector<load_connection*> to_start_;
    std::size_t next_unstarted_ = 0; // hold: connections not yet started come after this one
    std::size_t active_ = 0;
    std::uint64_t started_cycles_ = 0;
    bool starting_ = true;
    bool cut_off_ = false;
    clock::time_point end_of_starts_;
    clock::time_point limit_;
    load_result result_;
};

void
load_connection::start()
{
    sent_ = 0;
    received_ = 0;
    connect_reported_ = false;
    mismatch_ = false;
    started_ = clock::now();

    const auto& server = run_.plan().server;
    fd_ = ::socket(server.protocol().family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        return finish("socket", last_error());
    if (::connect(fd_, server.data(), static_cast<socklen_t>(server.size())) != 0 && errno != EINPROGRESS)
        return finish("connect", last_error());
    // A reply that fits the socket's receive buffer can wait there until the server
    // closes: one wake-up per connection instead of one per chunk (a slow server
    // sends dozens), which would make the load generator the bottleneck. Hold mode
    // reads the first bytes, though: they say the server has accepted the connection.
    std::uint32_t events = EPOLLRDHUP;
    if (!run_.reply_fits_buffer() || !run_.plan().repeat)
        events |= EPOLLIN;
    if (!run_.plan().request.empty())
        events |= EPOLLOUT;
    if (const auto ec = run_.loop().watch(fd_, events, *this))
        return finish("epoll", ec);
}

void
load_connection::on_events(std::uint32_t events)
{
    if (events & EPOLLERR)
    {
        int error = 0;
        socklen_t size = sizeof error;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
        const bool connected = connect_reported_ || received_ > 0;
        return finish(connected ? "read" : "connect", {error, boost::system::system_category()});
    }
    if ((events & EPOLLOUT) && sent_ < run_.plan().request.size())
        send_request();
    if (!open() || !(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)))
        return;
    read_available((events & EPOLLRDHUP) != 0);
    if (open() && received_ > 0 && !connect_reported_)
    {
        // Accepted and served: a burst-limited run may start another connection.
        report_connected();
        if (run_.reply_fits_buffer())
            if (const auto ec = run_.loop().modify(fd_, EPOLLRDHUP, *this))
                finish("epoll", ec);
    }
}

void
load_connection::send_request()
{
    const auto& request = run_.plan().request;
    while (sent_ < request.size())
    {
        const auto n = ::send(fd_, request.data() + sent_, request.size() - sent_, MSG_NOSIGNAL);
        if (n < 0)
        {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return; // the next writability event resumes
            if (errno == EINTR)
                continue;
            return finish("send", last_error());
        }
        sent_ += static_cast<std::size_t>(n);
    }
}

void
load_connection::read_available(bool peer_closed)
{
    auto& buffer = run_.buffer();
    for (;;)
    {
        const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (n > 0)
        {
            const auto got = static_cast<std::size_t>(n);
            check_bytes(buffer.data(), got);
            // The peer had closed before this event, so everything it sent was queued:
            // a read that did not fill the buffer took the last of it. End-of-file is
            // all that is left; reading it would cost a system call per cycle.
            if (peer_closed && got < buffer.size())
                return finish({}, {});
            continue;
        }
        if (n == 0)
            return finish({}, {});
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        if (errno != EINTR)
            return finish("read", last_error());
    }
}

void
load_connection::check_bytes(const char* data, std::size_t n)
{
    run_.record_bytes(n);
    const auto& expected = run_.plan().expected_reply;
    if (expected && !mismatch_)
        mismatch_ = received_ + n > expected->size() || std::memcmp(data, expected->data() + received_, n) != 0;
    received_ += n;
}

void
load_connection::report_connected()
{
    if (connect_reported_)
        return;
    connect_reported_ = true;
    run_.connect_ended();
}

void
load_connection::finish(std::string_view step, error_code ec)
{
    close();
    report_connected();
    if (ec)
        run_.record_failure(step, ec);
    else
    {
        const auto& plan = run_.plan();
        const bool wrong_size = (plan.expected_reply && received_ != plan.expected_reply->size()) ||
                                (plan.expected_size && received_ != *plan.expected_size);
        run_.record_success(clock::now() - started_, mismatch_ || wrong_size);
    }
    run_.cycle_ended(*this);
}

void
load_connection::close() noexcept
{
    if (fd_ >= 0)
        ::close(std::exchange(fd_, -1)); // closing also ends the epoll watch
}

load_result
load_run::run()
{
    for (std::size_t i = 0; i < plan_.in_flight; ++i)
        connections_.emplace_back(*this);

    const bool timed = plan_.repeat && plan_.cycles == 0;
    result_.latencies_us.reserve(timed ? 1 << 20 : plan_.repeat ? plan_.cycles : plan_.in_flight);
    const auto start = clock::now();
    end_of_starts_ = timed ? start + plan_.duration : clock::time_point::max();
    limit_ = start + plan_.time_limit + (timed ? plan_.duration : clock::duration{});

    if (plan_.repeat)
    {
        for (auto& connection : connections_)
            if (claim_cycle())
                to_start_.push_back(&connection);
    }
    else
    {
        next_unstarted_ = std::min(plan_.connect_burst, connections_.size());
        for (std::size_t i = 0; i < next_unstarted_; ++i)
            to_start_.push_back(&connections_[i]);
    }

    for (;;)
    {
        start_queued();
        if (active_ == 0)
            break;
        const auto now = clock::now();
        check_clock(now);
        const auto next_deadline = std::min(starting_ ? end_of_starts_ : limit_, limit_);
        loop_.run_once(std::max(next_deadline - now, clock::duration(std::chrono::milliseconds(1))));
    }
    result_.seconds = std::chrono::duration<double>(clock::now() - start).count();
    return std::move(result_);
}

void
load_run::start_queued()
{
    // Started outside event dispatch, so that a connection failing at once cannot recurse.
    std::vector<load_connection*> batch;
    batch.swap(to_start_);
    for (auto* connection : batch)
    {
        ++active_;
        connection->start();
    }
}

void
load_run::check_clock(clock::time_point now)
{
    if (now >= end_of_starts_)
        starting_ = false;
    if (now >= limit_ && !cut_off_)
    {
        // Past the time limit, whatever is still open is cut off and counted as failed.
        cut_off_ = true;
        starting_ = false;
        for (auto& connection : connections_)
            if (connection.open())
                connection.cut_off();
    }
}

bool
load_run::claim_cycle()
{
    if (!starting_ || !plan_.repeat || (plan_.cycles != 0 && started_cycles_ >= plan_.cycles))
        return false;
    ++started_cycles_;
    return true;
}

void
load_run::connect_ended()
{
    if (!plan_.repeat && starting_ && next_unstarted_ < connections_.size())
        to_start_.push_back(&connections_[next_unstarted_++]);
}

void
load_run::cycle_ended(load_connection& connection)
{
    --active_;
    if (claim_cycle())
        to_start_.push_back(&connection);
}

void
load_run::record_success(clock::duration took, bool mismatch)
{
    ++result_.completed;
    if (mismatch)
        ++result_.mismatches;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
    result_.latencies_us.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(us, UINT32_MAX)));
}

void
load_run::record_failure(std::string_view step, error_code ec)
{
    ++result_.errors;
    ++result_.error_kinds[std::string(step) + ": " + ec.message()];
}

} // namespace

load_result
run_load(const load_plan& plan, unsigned threads)
{
    threads = std::clamp<unsigned>(threads, 1, static_cast<unsigned>(plan.in_flight));
    if (threads == 1)
        return load_run(plan).run();

    // Thread i takes every i-th share of the connections and cycles, rounding spread evenly.
    std::vector<load_plan> shares(threads, plan);
    for (unsigned i = 0; i < threads; ++i)
    {
        const auto share = [&](auto total) { return (total * (i + 1)) / threads - (total * i) / threads; };
        shares[i].in_flight = share(plan.in_flight);
        shares[i].cycles = plan.cycles == 0 ? 0 : std::max<std::uint64_t>(share(plan.cycles), 1);
        shares[i].connect_burst = std::max<std::size_t>(plan.connect_burst / threads, 1);
    }
    std::vector<load_result> results(threads);
    {
        std::vector<std::jthread> workers;
        for (unsigned i = 0; i < threads; ++i)
            workers.emplace_back([&, i] { results[i] = load_run(shares[i]).run(); });
    }

    load_result total;
    for (auto& part : results)
    {
        total.completed += part.completed;
        total.errors += part.errors;
        total.mismatches += part.mismatches;
        total.bytes += part.bytes;
        total.seconds = std::max(total.seconds, part.seconds);
        total.latencies_us.insert(total.latencies_us.end(), part.latencies_us.begin(), part.latencies_us.end());
        for (const auto& [kind, count] : part.error_kinds)
            total.error_kinds[kind] += count;
    }
    return total;
}

} // namespace poetry::load
