// fastpoetry's connection, in one step: send the whole poem, then close. A poem that
// fits the socket's buffer goes at accept time (start_fast_session, at the end of
// this file); a session sends the rest of a longer one.
#include "poetry/server/sessions.hpp"

#include "detail/accept_time.hpp"
#include "detail/fast_session.hpp"
#include "detail/send_rest.hpp"
#include "detail/session.hpp"

namespace poetry {
namespace {

// The poem's bytes; from the memory file when there is one, so that the kernel
// references the poem's pages instead of copying them.
detail::reply_bytes
poem_of(const fast_server_config& config)
{
    if (config.poem_file)
        return {config.poem_file->text(), config.poem_file.get()};
    return {*config.poem, nullptr};
}

// The rest of a poem that did not fit the socket's buffer at once.
class fast_session : public detail::session, public std::enable_shared_from_this<fast_session>
{
public:
    fast_session(tcp::socket socket, connection_slot slot, detail::session_log log, const fast_server_config& config,
                 std::size_t sent)
        : session(std::move(socket), std::move(slot), std::move(log))
        , config_(config)
        , sent_(sent)
    {
    }

    // Send the rest, then close.
    void run()
    {
        close_when_idle(config_.write_timeout, shared_from_this(), on_idle::reset);
        detail::async_send_rest(socket_, idle_, poem_of(config_), sent_,
                                [self = shared_from_this()](error_code ec) { self->on_sent(ec); });
    }

private:
    void on_sent(error_code ec) { finish(sent_, idle_or(ec, errc::write_timeout)); }

    fast_server_config config_;
    std::size_t sent_;
};

} // namespace

void
start_fast_session(accepted_socket socket, connection_slot slot, const fast_server_config& config)
{
    // A short poem goes in one send, and the connection is done without ever
    // being registered with the event loop.
    detail::session_log log(socket.native_handle(), "poetry!");
    const detail::reply_bytes poem = poem_of(config);
    const detail::io_result first = detail::send_now(socket.native_handle(), poem, 0);
    if (detail::finish_at_accept(socket, slot, log, poem, first))
        return;
    std::make_shared<fast_session>(std::move(socket).into_socket(), std::move(slot), std::move(log), config,
                                   first.bytes)
        ->run();
}

void
detail::start_fast_session(tcp::socket socket, connection_slot slot, const fast_server_config& config, session_log log)
{
    std::make_shared<fast_session>(std::move(socket), std::move(slot), std::move(log), config, 0)->run();
}

} // namespace poetry
