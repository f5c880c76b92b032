#include "poetry/client/transform_client.hpp"

#include "detail/connect.hpp"
#include "poetry/io/netstring_io.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/prepend.hpp>

#include <algorithm>
#include <array>
#include <memory>

namespace poetry {
namespace {

struct transform_state
{
    transform_state(asio::any_io_executor ex, address to, std::string transform, std::string_view text,
                    transform_options opts)
        : connection(ex, std::move(to), opts.idle_timeout, opts.on_connected)
        , name(std::move(transform))
        , poem(text)
        , header(netstring_header(name.size() + 1 + poem.size()))
        , reply(opts.max_size, budgeted_buffer(opts.total))
        , options(std::move(opts))
    {
    }

    // "LEN:NAME.POEM," as buffers over the parts, from byte `from` on: the poem is never copied.
    std::array<asio::const_buffer, 5> request_from(std::size_t from) const
    {
        static constexpr char dot = '.';
        static constexpr char comma = ',';
        std::array<asio::const_buffer, 5> parts{asio::buffer(header), asio::buffer(name), asio::buffer(&dot, 1),
                                                asio::buffer(poem), asio::buffer(&comma, 1)};
        for (auto& part : parts)
        {
            const std::size_t skip = std::min(from, part.size());
            part += skip;
            from -= skip;
        }
        return parts;
    }

    std::size_t request_size() const { return header.size() + name.size() + 1 + poem.size() + 1; }

    // The caller holds the transformed poem now, paid for.
    std::string result(error_code ec) { return ec ? std::string() : reply.payload_buffer().take_kept(); }

    detail::client_connection connection;
    std::string name;
    std::string_view poem;
    std::string header;
    std::size_t sent = 0;
    netstring_decoder reply;
    transform_options options;
    std::array<char, 2048> buffer;
};

/// The steps, in order: connect, send the request, read the reply. Each completion
/// comes back tagged with the step it ends.
class transform_op : public detail::client_op<transform_op, transform_state>
{
public:
    using client_op::client_op;
    using client_op::operator();
    struct some_sent
    {};
    struct reply_read
    {};

    // Send "LEN:NAME.POEM,", a write at a time: each write that moves bytes is progress.
    template <typename Self>
    void on_connected(Self& self)
    {
        write_some(self);
    }

    template <typename Self>
    void operator()(Self& self, some_sent, error_code ec, std::size_t n)
    {
        if (ec)
            return finish(self, ec);
        transform_state& st = *st_;
        st.sent += n;
        st.connection.idle.touch();
        if (st.sent < st.request_size())
            return write_some(self);
        // Read one netstring back.
        async_read_netstring(st.connection.socket, st.reply, asio::buffer(st.buffer), st.connection.idle,
                             asio::prepend(std::move(self), reply_read{}));
    }

    // Done; closing without a byte is how a transform server says no.
    template <typename Self>
    void operator()(Self& self, reply_read, error_code ec)
    {
        if (ec == errc::netstring_truncated && !st_->reply.started())
            ec = errc::no_reply;
        if (ec == errc::buffer_budget_exceeded) // the budget is the client's, shared with its downloads
            ec = errc::downloads_too_large;
        finish(self, ec);
    }

private:
    template <typename Self>
    void write_some(Self& self)
    {
        transform_state& st = *st_;
        st.connection.socket.async_write_some(st.request_from(st.sent), asio::prepend(std::move(self), some_sent{}));
    }
};

} // namespace

namespace detail {

void
async_transform_impl(asio::any_completion_handler<transform_signature> handler, asio::any_io_executor ex,
                     address server, std::string name, std::string_view poem, transform_options options)
{
    auto state = std::make_shared<transform_state>(ex, std::move(server), std::move(name), poem, std::move(options));
    asio::async_compose<decltype(handler), transform_signature>(transform_op{std::move(state)}, handler, ex);
}

} // namespace detail

} // namespace poetry
