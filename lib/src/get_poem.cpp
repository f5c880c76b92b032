#include "poetry/get_poem.hpp"

#include "detail/connect.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>

#include <algorithm>
#include <memory>

namespace poetry {
namespace {

struct get_poem_state
{
    get_poem_state(asio::any_io_executor ex, address to, fetch_options opts)
        : connection(ex)
        , server(std::move(to))
        , options(std::move(opts))
    {
    }

    detail::client_connection connection;
    address server;
    fetch_options options;
    std::string poem;
};

class get_poem_op
{
public:
    explicit get_poem_op(std::shared_ptr<get_poem_state> state)
        : st_(std::move(state))
    {
    }

    // Start: arm the idle timer, then connect.
    template <typename Self>
    void operator()(Self& self)
    {
        st_->connection.connect(st_, st_->server, st_->options.idle_timeout, std::move(self));
    }

    // Connected: start reading.
    template <typename Self>
    void operator()(Self& self, error_code ec)
    {
        if (ec)
            return finish(self, ec);
        if (st_->options.on_connected)
            st_->options.on_connected();
        read_some(self);
    }

    // Some bytes arrived, or the server closed.
    template <typename Self>
    void operator()(Self& self, error_code ec, std::size_t n)
    {
        st_->poem.resize(st_->poem.size() - (read_size_ - n));
        if (n > 0)
        {
            st_->connection.idle.touch();
            if (st_->options.on_bytes)
                st_->options.on_bytes(n);
        }
        if (ec == asio::error::eof)
            return finish(self, {});
        if (ec)
            return finish(self, ec);
        if (st_->poem.size() > st_->options.max_size)
            return finish(self, errc::poem_too_large);
        read_some(self);
    }

private:
    template <typename Self>
    void read_some(Self& self)
    {
        // Grow with the poem, so that a short poem costs little memory.
        read_size_ = std::clamp<std::size_t>(st_->poem.size(), 512, 64 * 1024);
        const std::size_t old_size = st_->poem.size();
        st_->poem.resize(old_size + read_size_);
        st_->connection.socket.async_read_some(asio::buffer(st_->poem.data() + old_size, read_size_),
                                               std::move(self));
    }

    template <typename Self>
    void finish(Self& self, error_code ec)
    {
        ec = st_->connection.finish(ec);
        std::string poem = std::move(st_->poem);
        st_.reset();
        self.complete(ec, std::move(poem));
    }

    std::shared_ptr<get_poem_state> st_;
    std::size_t read_size_ = 0;
};

} // namespace

void
async_get_poem_impl(asio::any_completion_handler<get_poem_signature> handler, asio::any_io_executor ex,
                    address server, fetch_options options)
{
    auto state = std::make_shared<get_poem_state>(ex, std::move(server), std::move(options));
    asio::async_compose<decltype(handler), get_poem_signature>(get_poem_op{std::move(state)}, handler, ex);
}

} // namespace poetry
