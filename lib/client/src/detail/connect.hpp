// A client's one connection: connecting to an address that may be a literal or a host
// name, and the idle timer that watches the whole exchange.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"
#include "poetry/protocol/address.hpp"
#include "poetry/protocol/error.hpp"

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

/** A client operation's connection: its socket, and the idle timer that watches the
    whole exchange (connecting, writing, reading).

    When the timer fires it cancels the step in progress, which then fails:
    async_connect completes with `errc::connect_timeout`, and finish() turns a
    failure after the connection was made into `errc::idle_timeout`.
*/
class client_connection
{
public:
    /// A connection to `server`, that fails when nothing moves for `idle_timeout` (zero:
    /// never), and tells `on_connected` (when set) once it is made.
    client_connection(const asio::any_io_executor& ex, address server, clock::duration idle_timeout,
                      std::function<void()> on_connected)
        : socket(ex)
        , idle(ex)
        , server_(std::move(server))
        , idle_timeout_(idle_timeout)
        , on_connected_(std::move(on_connected))
        , resolver_(ex)
        , retry_(ex)
    {
    }

    /** Arm the idle timer, then connect: resolving a host name asynchronously, and, out
        of descriptors, trying again after a pause (10 ms, doubling up to 200 ms) that
        does not count as the server's silence. `owner` holds this connection: the timer
        keeps it alive. Completes with `void(error_code)`.
    */
    template <typename CompletionToken>
    auto async_connect(std::shared_ptr<void> owner, CompletionToken&& token);

    /// Stop the timer and close; returns the error the operation completes with.
    error_code finish(error_code ec)
    {
        if (idle.expired() && connected_)
            ec = errc::idle_timeout;
        idle.stop();
        stop_connecting();
        return ec;
    }

    tcp::socket socket;
    idle_timer idle;

private:
    class connect_op;

    void stop_connecting()
    {
        resolver_.cancel();
        retry_.cancel();
        error_code ignored;
        socket.close(ignored);
    }

    const address server_;
    const clock::duration idle_timeout_;
    const std::function<void()> on_connected_;
    tcp::resolver resolver_;
    asio::steady_timer retry_; // a pause before connecting again, out of descriptors
    bool connected_ = false;   // a timeout from now on is silence, not a connect that hangs
};

/// The steps: resolve (a host name only), then connect; when the process is out of
/// descriptors, wait and connect again. Each completion comes back tagged with the
/// step it ends.
class client_connection::connect_op
{
public:
    struct resolved
    {};
    struct connected
    {};
    struct waited
    {};

    explicit connect_op(client_connection& connection)
        : c_(connection)
        , addr_(connection.server_)
    {
    }

    // Start: a literal address needs no resolver.
    template <typename Self>
    void operator()(Self& self)
    {
        error_code ec;
        const auto literal = asio::ip::make_address(addr_.host, ec);
        if (!ec)
            return c_.socket.async_connect({literal, addr_.port}, asio::prepend(std::move(self), connected{}));
        c_.resolver_.async_resolve(addr_.host, std::to_string(addr_.port), asio::prepend(std::move(self), resolved{}));
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
            return complete(self, ec);
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
        if (ec && !c_.idle.expired() && next_ != endpoints_.end())
            return connect_next(self);
        complete(self, ec);
    }

    template <typename Self>
    void operator()(Self& self, waited, error_code ec)
    {
        if (ec)
            return complete(self, ec);
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
        c_.socket.close(ignored);
        c_.socket.async_connect(endpoint, asio::prepend(std::move(self), connected{}));
    }

    template <typename Self>
    void wait_for_a_descriptor(Self& self)
    {
        error_code ignored;
        c_.socket.close(ignored);
        c_.idle.touch(); // waiting for a descriptor of our own is not the server's silence
        c_.retry_.expires_after(backoff_);
        backoff_ = std::min(2 * backoff_, clock::duration(std::chrono::milliseconds(200)));
        c_.retry_.async_wait(asio::prepend(std::move(self), waited{}));
    }

    template <typename Self>
    void complete(Self& self, error_code ec)
    {
        if (c_.idle.expired())
            ec = errc::connect_timeout;
        else if (!ec)
        {
            c_.connected_ = true;
            if (c_.on_connected_)
                c_.on_connected_();
        }
        self.complete(ec);
    }

    client_connection& c_;
    const address& addr_;
    tcp::resolver::results_type endpoints_;
    tcp::resolver::results_type::const_iterator next_;
    clock::duration backoff_ = std::chrono::milliseconds(10);
};

/** What a client operation is built on: its state, which holds its connection, its first
    step, connecting, and its end. An operation `Op` derives from it, begins its own steps
    in `on_connected(self)`, and is started with async_compose; `State::result(ec)` is
    what the caller is given, taken from the state as the operation ends.
*/
template <typename Op, typename State>
class client_op
{
public:
    /// The step the first step ends.
    struct connected
    {};

    explicit client_op(std::shared_ptr<State> state)
        : st_(std::move(state))
    {
    }

    template <typename Self>
    void operator()(Self& self)
    {
        auto owner = st_; // named before prepend moves `self`, and st_ with it
        owner->connection.async_connect(owner, asio::prepend(std::move(self), connected{}));
    }

    template <typename Self>
    void operator()(Self& self, connected, error_code ec)
    {
        if (ec)
            return finish(self, ec);
        static_cast<Op&>(*this).on_connected(self);
    }

protected:
    /// Stop the timer, close, and complete with the state's result; the state goes first.
    template <typename Self>
    void finish(Self& self, error_code ec)
    {
        ec = st_->connection.finish(ec);
        auto result = st_->result(ec);
        st_.reset();
        self.complete(ec, std::move(result));
    }

    std::shared_ptr<State> st_;
};

template <typename CompletionToken>
auto
client_connection::async_connect(std::shared_ptr<void> owner, CompletionToken&& token)
{
    idle.start(idle_timeout_, [owner = std::move(owner), this] { stop_connecting(); });
    return asio::async_compose<CompletionToken, void(error_code)>(connect_op{*this}, token, socket);
}

} // namespace poetry::detail
