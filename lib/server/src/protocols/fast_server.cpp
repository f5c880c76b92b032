// fastpoetry's connection, in one step: send the whole poem, then close. A poem that
// fits the socket's buffer goes at accept time (serve_poem, below); a session sends the
// rest of a longer one.
#include "poetry/server/log.hpp"
#include "protocols/fast_session.hpp"
#include "protocols/protocols.hpp"
#include "session/session.hpp"
#include "socket/send_rest.hpp"

namespace poetry::detail {
namespace {

// The rest of a poem that did not fit the socket's buffer at once.
class fast_session : public session, public std::enable_shared_from_this<fast_session>
{
public:
    fast_session(session_parts parts, const served_poem& poem, std::size_t sent)
        : session(std::move(parts))
        , poem_(poem)
        , sent_(sent)
    {
    }

    // Send the rest, then close.
    void run()
    {
        close_when_idle(poem_.write_timeout, shared_from_this(), on_idle::reset);
        async_send_rest(socket_, idle_, poem_.bytes(), sent_, largest_turn,
                        [self = shared_from_this()](error_code ec) { self->on_sent(ec); });
    }

private:
    void on_sent(error_code ec) { finish(sent_, idle_or(ec, errc::write_timeout)); }

    served_poem poem_;
    std::size_t sent_;
};

class fast_handler : public connection_handler
{
public:
    explicit fast_handler(served_poem poem)
        : poem_(std::move(poem))
    {
    }

    void accept(accepted_connection connection) override
    {
        connection.arrived("poetry!");
        serve_poem(std::move(connection), poem_);
    }

private:
    served_poem poem_;
};

// The poem as fastpoetry keeps it: one copy, in a sealed memory file when it can be made.
served_poem
keep(const fast_server_config& config)
{
    served_poem poem{config.poem, nullptr, config.write_timeout};
    if (!config.sendfile)
        return poem;
    error_code ec;
    poem.file = memory_file::create(*config.poem, ec);
    if (ec) // sending from memory still works, with a copy per connection
        log_line("cannot keep the poem in a memory file (" + ec.message() + "); sending copies");
    else
        poem.text.reset(); // the memory file holds the one copy
    return poem;
}

} // namespace

void
serve_poem(accepted_connection connection, const served_poem& poem)
{
    // A short poem goes in one send, and the connection is done without ever
    // being registered with the event loop.
    const reply_bytes bytes = poem.bytes();
    if (log_verbose())
        connection.step("Sending " + std::to_string(bytes.size()) + " bytes");
    const io_result first = connection.send(bytes, 0);
    if (connection.finished(bytes, first))
        return;
    std::make_shared<fast_session>(std::move(connection).into_session(), poem, first.bytes)->run();
}

void
serve_poem(session_parts parts, const served_poem& poem)
{
    std::make_shared<fast_session>(std::move(parts), poem, 0)->run();
}

server_protocol
fast_protocol(fast_server_config config)
{
    return protocol_of<fast_handler>(replies::once, keep(config));
}

} // namespace poetry::detail
