#include "poetry/client/transform_client.hpp"

#include "detail/connect.hpp"
#include "poetry/io/netstring_io.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/prepend.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <memory>

namespace poetry {
namespace {

struct transform_state
{
    transform_state(asio::any_io_executor ex, address to, std::string transform, std::string text,
                    transform_options opts)
        : connection(ex)
        , server(std::move(to))
        , name(std::move(transform))
        , poem(std::move(text))
        , header(netstring_header(name.size() + 1 + poem.size()))
        , reply(opts.max_size)
        , options(opts)
    {
    }

    detail::client_connection connection;
    address server;
    std::string name;
    std::string poem;
    std::string header;
    netstring_decoder reply;
    transform_options options;
    std::array<char, 2048> buffer;
};

/// The steps, in order: connect, send the request, read the reply. Each completion
/// comes back tagged with the step it ends.
class transform_op : public detail::client_op<transform_state>
{
public:
    using client_op::client_op;
    using client_op::operator();
    using connected = detail::connected;
    struct request_sent
    {};
    struct reply_read
    {};

    // Send "LEN:NAME.POEM," without copying the poem.
    template <typename Self>
    void operator()(Self& self, connected, error_code ec)
    {
        if (ec)
            return finish(self, ec);
        static constexpr char dot = '.';
        static constexpr char comma = ',';
        const std::array<asio::const_buffer, 5> request{asio::buffer(st_->header), asio::buffer(st_->name),
                                                        asio::buffer(&dot, 1), asio::buffer(st_->poem),
                                                        asio::buffer(&comma, 1)};
        auto& socket = st_->connection.socket;
        asio::async_write(socket, request, asio::prepend(std::move(self), request_sent{}));
    }

    // Read one netstring back.
    template <typename Self>
    void operator()(Self& self, request_sent, error_code ec, std::size_t)
    {
        if (ec)
            return finish(self, ec);
        transform_state& st = *st_;
        st.connection.idle.touch();
        async_read_netstring(st.connection.socket, st.reply, asio::buffer(st.buffer), st.connection.idle,
                             asio::prepend(std::move(self), reply_read{}));
    }

    // Done; closing without a byte is how a transform server says no.
    template <typename Self>
    void operator()(Self& self, reply_read, error_code ec)
    {
        if (ec == errc::netstring_truncated && !st_->reply.started())
            ec = errc::no_reply;
        finish(self, ec);
    }

private:
    template <typename Self>
    void finish(Self& self, error_code ec)
    {
        ec = st_->connection.finish(ec);
        std::string transformed = ec ? std::string() : st_->reply.take_payload();
        st_.reset();
        self.complete(ec, std::move(transformed));
    }
};

} // namespace

void
async_transform_impl(asio::any_completion_handler<transform_signature> handler, asio::any_io_executor ex,
                     address server, std::string name, std::string poem, transform_options options)
{
    auto state = std::make_shared<transform_state>(ex, std::move(server), std::move(name), std::move(poem), options);
    asio::async_compose<decltype(handler), transform_signature>(transform_op{std::move(state)}, handler, ex);
}

} // namespace poetry
