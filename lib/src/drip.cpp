#include "poetry/drip.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>

namespace poetry {
namespace {

class drip_op
{
public:
    drip_op(tcp::socket& socket, asio::steady_timer& timer, idle_timer& progress, std::string_view poem,
            drip_options options)
        : socket_(socket)
        , timer_(timer)
        , progress_(progress)
        , poem_(poem)
        , options_(options)
        , start_(clock::now())
    {
    }

    // Start: the first chunk goes out at once.
    template <typename Self>
    void operator()(Self& self)
    {
        if (poem_.empty())
            return asio::post(socket_.get_executor(), asio::append(std::move(self), error_code{}, std::size_t{0}));
        write_chunk(self);
    }

    // A chunk was written: wait until the next one is due.
    template <typename Self>
    void operator()(Self& self, error_code ec, std::size_t n)
    {
        sent_ += n;
        if (ec || sent_ == poem_.size())
            return self.complete(ec, sent_);
        progress_.touch();
        ++chunks_;
        timer_.expires_at(start_ + static_cast<clock::rep>(chunks_) * options_.delay);
        timer_.async_wait(std::move(self));
    }

    // The next chunk is due.
    template <typename Self>
    void operator()(Self& self, error_code ec)
    {
        if (ec)
            return self.complete(ec, sent_);
        write_chunk(self);
    }

private:
    template <typename Self>
    void write_chunk(Self& self)
    {
        const std::size_t size = std::min(options_.chunk_size, poem_.size() - sent_);
        asio::async_write(socket_, asio::buffer(poem_.data() + sent_, size), std::move(self));
    }

    tcp::socket& socket_;
    asio::steady_timer& timer_;
    idle_timer& progress_;
    std::string_view poem_;
    drip_options options_;
    clock::time_point start_;
    std::size_t sent_ = 0;
    std::size_t chunks_ = 0;
};

} // namespace

void
async_drip_poem_impl(asio::any_completion_handler<drip_signature> handler, tcp::socket& socket,
                     asio::steady_timer& timer, idle_timer& progress, std::string_view poem,
                     drip_options options)
{
    asio::async_compose<decltype(handler), drip_signature>(drip_op{socket, timer, progress, poem, options},
                                                           handler, socket, timer);
}

} // namespace poetry
