// The one interface between the accept layer and a server's protocol.
#pragma once

#include "accept/accepted_connection.hpp"

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace poetry::detail {

/** What a server does with each connection one event loop accepts.

    The accept layer (listener) calls `accept` for every connection that got
    a slot. The server finishes it there with single system calls when that is
    enough (a short reply sent whole, a request refused), and otherwise starts a
    session on `std::move(connection).into_session()`. One handler per event
    loop: it may keep that loop's state (the proxy's cache) without locks.
*/
class connection_handler
{
public:
    virtual ~connection_handler() = default;
    virtual void accept(accepted_connection connection) = 0;
};

/// How one kind of server serves: what the accept layer needs to know of it.
struct server_protocol
{
    /// Every reply is written once and then the connection closes: cork replies (TCP_CORK,
    /// inherited from the listening socket), so that a reply and its end-of-file share segments.
    bool replies_once = false;
    /// Makes the handler of event loop `thread`; called once per loop, before any runs.
    std::function<std::unique_ptr<connection_handler>(unsigned thread)> make_handler{};
    /// Runs once every loop has stopped and before they are destroyed: the place to join
    /// threads that hand work back to the loops.
    std::function<void()> after_stop{};
};

/// How a server writes to a connection: each reply once, then the close; or over time (the drip).
enum class replies
{
    once,
    over_time,
};

/// A protocol whose every event loop gets a `Handler` made from its own copy of `state`.
template <typename Handler, typename State>
server_protocol
protocol_of(replies how, State state)
{
    return {.replies_once = how == replies::once,
            .make_handler = [state = std::move(state)](unsigned) { return std::make_unique<Handler>(state); }};
}

} // namespace poetry::detail
