// One timer for every dripping connection of an event loop, served in fair rounds.
#pragma once

#include "poetry/io/asio.hpp"

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace poetry::detail {

/// Something that sends a chunk when it is due.
class drip_client
{
public:
    /// The chunk is due: send it, and say when the next one is (nothing: no more).
    virtual std::optional<clock::time_point> on_due() = 0;

protected:
    ~drip_client() = default;

private:
    friend class drip_schedule;
    bool withdrawn_ = false; // ended early; its entry, when called, counts for nothing
};

/** Calls every client when its chunk is due, from a single timer per event loop.

    A timer per connection costs a heap operation, a wake-up and a completion
    per chunk; 10,000 clients of a slow server send 100,000 chunks a second.
    Here clients wait in lists by due time (due times are rounded to a grain,
    so a list holds many), the timer is set for the earliest, and each
    wake-up serves a round: every client due at its start gets one chunk, in
    due order, and in the order they were added among equal times. Filing a
    client is a push onto a list, where a heap of 10,000 moved a dozen
    entries. A client whose next chunk is already due (it is late, or the
    delay is zero) waits for the next round, and the event loop runs its
    other work (accepts, signals, timers) between two rounds.
    So lateness is shared: no client gets chunk k+1 while another due client
    still waits for chunk k, and no client keeps the loop to itself.

    An io_context service: each event loop (thread) has its own, and
    nothing is shared between them.
*/
class drip_schedule : public asio::execution_context::service
{
public:
    using key_type = drip_schedule;
    static inline asio::execution_context::id id;

    explicit drip_schedule(asio::io_context& context);

    /// The schedule of the event loop `ex` belongs to; std::logic_error if `ex` is not an io_context's.
    static drip_schedule& of(const asio::any_io_executor& ex);

    /// Call `client->on_due()` at `due`; the schedule holds the client until then.
    void add(std::shared_ptr<drip_client> client, clock::time_point due);

    /// `client`, added and not yet called, ended early: it will answer its call with nothing.
    /// When no live client is left, the timer stops, so that an idle loop has no work outstanding.
    void withdraw(drip_client& client);

private:
    void shutdown() override;
    void arm();
    void serve_round();

    using clients = std::vector<std::shared_ptr<drip_client>>;

    asio::io_context& context_;
    std::unique_ptr<asio::steady_timer> timer_;
    std::map<clock::time_point, clients> due_; // each time's clients, first added first
    clients round_;
    std::vector<std::pair<clock::time_point, std::shared_ptr<drip_client>>> rescheduled_; // by this round
    clock::time_point armed_for_ = clock::time_point::max();
    bool round_posted_ = false;
    std::size_t live_ = 0; // added and not yet called, nor withdrawn
};

} // namespace poetry::detail
