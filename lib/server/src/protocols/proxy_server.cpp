// poetry-proxy's connection: the cached poem, sent as fastpoetry sends its own (at accept
// time when it fits the socket's buffer), or a wait for the download that brings it.
#include "poetry/server/log.hpp"
#include "protocols/fast_session.hpp"
#include "protocols/protocols.hpp"
#include "proxy/poem_cache.hpp"

namespace poetry::detail {
namespace {

class proxy_handler : public connection_handler
{
public:
    explicit proxy_handler(const proxy_server_config& config)
        : cache_(std::make_shared<poem_cache>(config))
    {
    }

    void accept(accepted_connection connection) override
    {
        connection.arrived("poetry!");
        if (const served_poem* poem = cache_->cached())
        {
            if (log_verbose())
                log_line("Using cached poem."); // the original's words
            return serve_poem(std::move(connection), *poem);
        }
        cache_->wait(std::move(connection).into_session());
    }

private:
    // This loop's own: owned by this handler and the loop's handlers only, so that its
    // sockets die with the loop and never after it.
    std::shared_ptr<poem_cache> cache_;
};

} // namespace

server_protocol
proxy_protocol(proxy_server_config config)
{
    // A cached poem is written once, then the connection closes: corked, as fastpoetry's.
    return protocol_of<proxy_handler>(replies::once, std::move(config));
}

} // namespace poetry::detail
