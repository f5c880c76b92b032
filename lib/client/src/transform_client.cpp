#include "poetry/client/transform_client.hpp"

#include "detail/connect.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
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
        , decoder(opts.max_size)
        , options(opts)
    {
    }

    detail::client_connection connection;
    address server;
    std::string name;
    std::string poem;
    std::string header;
    netstring_decoder decoder;
    transform_options options;
    std::array<char, 2048> buffer;
    std::size_t received = 0;
};

class transform_op
{
public:
    explicit transform_op(std::shared_ptr<transform_state> state)
        : st_(std::move(state))
    {
    }

    // Start: arm the idle timer, then connect.
    template <typename Self>
    void operator()(Self& self)
    {
        st_->connection.connect(st_, st_->server, st_->options.idle_timeout, std::move(self));
    }

    // Connected: send "LEN:NAME.POEM," without copying the poem.
    template <typename Self>
    void operator()(Self& self, error_code ec)
    {
        if (ec)
            return finish(self, ec);
        static constexpr char dot = '.';
        static constexpr char comma = ',';
        const std::array<asio::const_buffer, 5> request{
            asio::buffer(st_->header), asio::buffer(st_->name), asio::buffer(&dot, 1),
            asio::buffer(st_->poem), asio::buffer(&comma, 1)};
        writing_ = true;
        asio::async_write(st_->connection.socket, request, std::move(self));
    }

    // The request went out, or some of the reply came in.
    template <typename Self>
    void operator()(Self& self, error_code ec, std::size_t n)
    {
        st_->connection.idle.touch();
        if (writing_)
        {
            writing_ = false;
            if (ec)
                return finish(self, ec);
            return read_some(self);
        }
        st_->received += n;
        const auto result = st_->decoder.feed({st_->buffer.data(), n});
        if (result.state == netstring_decoder::status::done)
            return finish(self, {});
        if (result.state == netstring_decoder::status::error)
            return finish(self, st_->decoder.error());
        if (ec == asio::error::eof)
        {
            // Closing without a byte is how a transform server says no.
            if (st_->received == 0)
                return finish(self, errc::no_reply);
            st_->decoder.finish();
            return finish(self, st_->decoder.error());
        }
        if (ec)
            return finish(self, ec);
        read_some(self);
    }

private:
    template <typename Self>
    void read_some(Self& self)
    {
        st_->connection.socket.async_read_some(asio::buffer(st_->buffer), std::move(self));
    }

    template <typename Self>
    void finish(Self& self, error_code ec)
    {
        ec = st_->connection.finish(ec);
        std::string transformed = ec ? std::string() : st_->decoder.take_payload();
        st_.reset();
        self.complete(ec, std::move(transformed));
    }

    std::shared_ptr<transform_state> st_;
    bool writing_ = false;
};

} // namespace

void
async_transform_impl(asio::any_completion_handler<transform_signature> handler, asio::any_io_executor ex,
                     address server, std::string name, std::string poem, transform_options options)
{
    auto state = std::make_shared<transform_state>(ex, std::move(server), std::move(name), std::move(poem),
                                                   options);
    asio::async_compose<decltype(handler), transform_signature>(transform_op{std::move(state)}, handler,
                                                                ex);
}

} // namespace poetry
