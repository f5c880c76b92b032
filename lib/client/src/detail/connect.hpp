// Connecting to an address that may be a literal or a host name.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"
#include "poetry/protocol/address.hpp"

#include <boost/asio/compose.hpp>
#include <boost/asio/prepend.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace poetry::detail {

/// Whether this process has no descriptor left to open (a resolution that failed may
/// have failed for want of one, whatever it said).
bool out_of_descriptors() noexcept;

/// What a host name of `addr` resolved to last, on this thread (each event loop's own).
void remember_resolution(const address& addr, const tcp::resolver::results_type& endpoints);
std::optional<tcp::resolver::results_type> remembered_resolution(const address& addr);

/// The steps: resolve (a host name only), then connect; when the process is out of
/// descriptors, wait and connect again. Each completion comes back tagged with the
/// step it ends.
class connect_op
{
public:
    struct resolved
    {};
    struct connected
    {};
    struct waited
    {};

    connect_op(tcp::socket& socket, tcp::resolver& resolver, asio::steady_timer& retry, idle_timer& idle,
               const address& addr)
        : socket_(socket)
        , resolver_(resolver)
        , retry_(retry)
        , idle_(idle)
        , addr_(addr)
    {
    }

    // Start: a literal address needs no resolver.
    template <typename Self>
    void operator()(Self& self)
    {
        error_code ec;
        const auto literal = asio::ip::make_address(addr_.host, ec);
        if (!ec)
            return socket_.async_connect({literal, addr_.port}, asio::prepend(std::move(self), connected{}));
        resolver_.async_resolve(addr_.host, std::to_string(addr_.port), asio::prepend(std::move(self), resolved{}));
    }

    // Resolving a name opens files and sockets too: out of descriptors, it fails ("Too many
    // open files", or as "Host not found" or worse: then the process is still out of them
    // when asked), and waits its turn as a connect does.
    // A name that resolved once in this run is not lost to a later resolution that failed:
    // the run's first resolutions come before its connections take the descriptors.
    template <typename Self>
    void operator()(Self& self, resolved, error_code ec, tcp::resolver::results_type endpoints)
    {
        if (!ec)
            remember_resolution(addr_, endpoints);
        else if (auto known = remembered_resolution(addr_))
            endpoints = std::move(*known), ec = {};
        if (no_descriptor(ec) || (ec && out_of_descriptors()))
            return wait_for_a_descriptor(self);
        if (ec)
            return self.complete(ec);
        endpoints_ = std::move(endpoints);
        next_ = endpoints_.begin();
        connect_next(self);
    }

    // Connected, or not. Out of descriptors, the connection waits its turn: other
    // connections of this process will end. Refused by one endpoint of a name, it tries
    // the next.
    template <typename Self>
    void operator()(Self& self, connected, error_code ec)
    {
        if (no_descriptor(ec))
            return wait_for_a_descriptor(self);
        if (ec && !idle_.expired() && next_ != endpoints_.end())
            return connect_next(self);
        self.complete(ec);
    }

    template <typename Self>
    void operator()(Self& self, waited, error_code ec)
    {
        if (ec)
            return self.complete(ec);
        (*this)(self);
    }

private:
    static bool no_descriptor(error_code ec)
    {
        return ec == asio::error::no_descriptors || ec == std::errc::too_many_files_open_in_system;
    }

    // Each endpoint in turn, by hand: asio::async_connect over a range takes a socket it
    // could not open (out of descriptors) for one closed on purpose, and gives up.
    template <typename Self>
    void connect_next(Self& self)
    {
        const tcp::endpoint endpoint = *next_++;
        error_code ignored;
        socket_.close(ignored);
        socket_.async_connect(endpoint, asio::prepend(std::move(self), connected{}));
    }

    template <typename Self>
    void wait_for_a_descriptor(Self& self)
    {
        error_code ignored;
        socket_.close(ignored);
        idle_.touch(); // waiting for a descriptor of our own is not the server's silence
        retry_.expires_after(backoff_);
        backoff_ = std::min(2 * backoff_, clock::duration(std::chrono::milliseconds(200)));
        retry_.async_wait(asio::prepend(std::move(self), waited{}));
    }

    tcp::socket& socket_;
    tcp::resolver& resolver_;
    asio::steady_timer& retry_;
    idle_timer& idle_;
    const address& addr_;
    tcp::resolver::results_type endpoints_;
    tcp::resolver::results_type::const_iterator next_;
    clock::duration backoff_ = std::chrono::milliseconds(10);
};

/** Connect `socket` to `addr`, resolving a host name asynchronously; out of descriptors,
    try again after a pause (10 ms, doubling up to 200 ms), touching `idle` meanwhile.

    `socket`, `resolver`, `retry`, `idle` and `addr` must outlive the operation.
    Completes with `void(error_code)`.
*/
template <typename CompletionToken>
auto
async_connect_to(tcp::socket& socket, tcp::resolver& resolver, asio::steady_timer& retry, idle_timer& idle,
                 const address& addr, CompletionToken&& token)
{
    return asio::async_compose<CompletionToken, void(error_code)>(connect_op{socket, resolver, retry, idle, addr},
                                                                  token, socket);
}

/** What each client operation holds for its one connection.

    The idle timer watches the whole exchange: connecting, writing and
    reading. When it fires it cancels the resolver and closes the socket, so
    the step in progress fails; `finish` turns that failure into
    `errc::connect_timeout` before the connection was made and
    `errc::idle_timeout` after.
*/
struct client_connection
{
    explicit client_connection(const asio::any_io_executor& ex)
        : socket(ex)
        , resolver(ex)
        , retry(ex)
        , idle(ex)
    {
    }

    /// Arm the idle timer, then connect. `owner` holds this connection; the timer keeps it alive.
    template <typename Owner, typename Self>
    void connect(std::shared_ptr<Owner> owner, const address& server, clock::duration idle_timeout, Self&& self)
    {
        idle.start(idle_timeout, [owner, this] {
            resolver.cancel();
            retry.cancel();
            error_code ignored;
            socket.close(ignored);
        });
        async_connect_to(socket, resolver, retry, idle, server, std::forward<Self>(self));
    }

    /// The connection is made: from now on a timeout is silence, not a connect that hangs.
    /// Tells `report` (a progress report's "connected"), when there is one.
    void on_connected(const std::function<void()>& report)
    {
        made = true;
        if (report)
            report();
    }

    /// Stop the timer and close; returns the error the operation completes with.
    error_code finish(error_code ec)
    {
        if (idle.expired())
            ec = made ? errc::idle_timeout : errc::connect_timeout;
        idle.stop();
        retry.cancel();
        error_code ignored;
        socket.close(ignored);
        return ec;
    }

    tcp::socket socket;
    tcp::resolver resolver;
    asio::steady_timer retry; // a pause before connecting again, out of descriptors
    idle_timer idle;
    bool made = false; // connected: a timeout from now on is silence
};

/// The step every client operation ends first.
struct connected
{};

/** A client operation's first step: arm the idle timer, then connect to the server
    that `state` names (its `connection`, `server` and `options.idle_timeout`). The
    operation `self` is called back as `self(connected{}, ec)`.
*/
template <typename State, typename Self>
void
connect_first(std::shared_ptr<State> state, Self& self)
{
    auto& connection = state->connection;
    const address& server = state->server;
    const clock::duration timeout = state->options.idle_timeout;
    connection.connect(std::move(state), server, timeout, asio::prepend(std::move(self), connected{}));
}

/** What every client operation is built on: its state, shared with the idle timer's
    wait, and its first step, connecting. An operation derives from it, adds the steps
    that follow `connected`, and is started with async_compose.
*/
template <typename State>
class client_op
{
public:
    explicit client_op(std::shared_ptr<State> state)
        : st_(std::move(state))
    {
    }

    // Arm the idle timer, then connect.
    template <typename Self>
    void operator()(Self& self)
    {
        connect_first(st_, self);
    }

protected:
    std::shared_ptr<State> st_;
};

} // namespace poetry::detail
