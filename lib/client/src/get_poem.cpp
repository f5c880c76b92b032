#include "poetry/client/get_poem.hpp"

#include "detail/connect.hpp"
#include "poetry/memory/budgeted_buffer.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/prepend.hpp>

#include <algorithm>
#include <memory>
#include <new>

namespace poetry {
namespace {

struct get_poem_state
{
    get_poem_state(asio::any_io_executor ex, address to, fetch_options opts)
        : connection(ex, std::move(to), opts.idle_timeout, opts.on_connected)
        , options(std::move(opts))
        , poem(options.total)
    {
    }

    // The caller holds a whole poem, paid for; a poem cut off goes with its share given back.
    std::string result(error_code ec) { return ec ? std::move(poem.bytes()) : poem.take_kept(); }

    detail::client_connection connection;
    fetch_options options;
    budgeted_buffer poem; // its capacity paid for from the downloads' total
    char probe = 0;       // a one-byte read when the budget can pay for no more room
};

/// The steps, in order: connect, then read until the server closes. Each completion
/// comes back tagged with the step it ends.
class get_poem_op : public detail::client_op<get_poem_op, get_poem_state>
{
public:
    using client_op::client_op;
    using client_op::operator();
    struct bytes_read
    {};
    struct probe_read
    {};

    template <typename Self>
    void on_connected(Self& self)
    {
        read_some(self);
    }

    // Some bytes arrived, or the server closed.
    template <typename Self>
    void operator()(Self& self, bytes_read, error_code ec, std::size_t n)
    {
        std::string& poem = st_->poem.bytes();
        poem.resize(poem.size() - (read_size_ - n));
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
        if (poem.size() > st_->options.max_size)
            return finish(self, errc::poem_too_large);
        read_some(self);
    }

    // The one-byte read past what the budget paid for: end-of-file means the poem fit.
    template <typename Self>
    void operator()(Self& self, probe_read, error_code ec, std::size_t n)
    {
        if (n == 0)
            return (*this)(self, bytes_read{}, ec, 0);
        // The poem goes on: it may still fit if the budget can pay for exactly this byte.
        std::string& poem = st_->poem.bytes();
        if (const error_code room = make_room(poem.size() + 1))
            return finish(self, room);
        poem.push_back(st_->probe);
        read_size_ = 1;
        (*this)(self, bytes_read{}, ec, 1);
    }

private:
    template <typename Self>
    void read_some(Self& self)
    {
        // Grow with the poem, so that a short poem costs little memory; read at most one
        // byte past the limit: enough to know the poem is too large.
        std::string& poem = st_->poem.bytes();
        const std::size_t old_size = poem.size();
        read_size_ = std::min(std::clamp<std::size_t>(old_size, 512, 64 * 1024), st_->options.max_size + 1 - old_size);
        auto& socket = st_->connection.socket; // named before prepend moves `self`, and st_ with it
        // --max-total counts the bytes received, not the room to read them into: when the
        // budget cannot pay for a whole read, read into the room paid for, or, with none
        // left, one byte aside to learn whether the poem has ended.
        if (const error_code ec = make_room(old_size + read_size_); ec && ec != errc::downloads_too_large)
            return finish(self, ec);
        read_size_ = std::min(read_size_, poem.capacity() - old_size);
        if (read_size_ == 0)
        {
            const auto probe = asio::buffer(&st_->probe, 1);
            return socket.async_read_some(probe, asio::prepend(std::move(self), probe_read{}));
        }
        poem.resize(old_size + read_size_);
        const auto space = asio::buffer(poem.data() + old_size, read_size_);
        socket.async_read_some(space, asio::prepend(std::move(self), bytes_read{}));
    }

    // Capacity for `needed` bytes, paid for first: doubling, but never past the limit plus one
    // byte. When the budget cannot pay for the doubling: just what is needed, or else all the
    // budget has left (the next read goes into it), so that its last bytes are taken in one
    // growth, not a copy of the poem for every few bytes. A doubling that reaches the limit
    // goes straight to it: one more growth for the last byte would hold two buffers of the
    // limit's size at once.
    error_code make_room(std::size_t needed)
    {
        budgeted_buffer& poem = st_->poem;
        if (needed <= poem.capacity())
            return {};
        std::size_t capacity = std::max(needed, 2 * poem.capacity());
        if (capacity >= st_->options.max_size)
            capacity = st_->options.max_size + 1;
        try
        {
            if (poem.grow(capacity) || (capacity > needed && poem.grow(needed)))
                return {};
            const std::size_t all_left = poem.capacity() + (st_->options.total ? st_->options.total->left() : 0);
            if (all_left > poem.bytes().size() && all_left < needed && poem.grow(all_left))
                return {};
            return errc::downloads_too_large;
        }
        catch (const std::bad_alloc&)
        {
            return errc::out_of_memory;
        }
    }

    std::size_t read_size_ = 0;
};

} // namespace

namespace detail {

void
async_get_poem_impl(asio::any_completion_handler<get_poem_signature> handler, asio::any_io_executor ex, address server,
                    fetch_options options)
{
    auto state = std::make_shared<get_poem_state>(ex, std::move(server), std::move(options));
    asio::async_compose<decltype(handler), get_poem_signature>(get_poem_op{std::move(state)}, handler, ex);
}

} // namespace detail

} // namespace poetry
