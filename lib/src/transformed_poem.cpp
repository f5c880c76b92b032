#include "poetry/transformed_poem.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace poetry {

asio::awaitable<bool>
get_transformed_poem(const client_settings& settings, poem_task task)
{
    const auto ex = co_await asio::this_coro::executor;

    auto [ec, poem] = co_await async_get_poem(ex, task.server, fetch_options_for(settings, task),
                                              asio::as_tuple(asio::use_awaitable));
    if (ec)
    {
        report_download_failure(settings, task, ec, poem.size());
        co_return false;
    }
    report_poem_received(settings, task, poem.size());

    if (settings.transform)
    {
        try
        {
            report_transform_started(settings, task);
            poem = co_await async_transform(ex, settings.transform_server, *settings.transform, poem,
                                            settings.xform, asio::use_awaitable);
        }
        catch (const boost::system::system_error& e)
        {
            report_transform_failure(settings, task, e.code());
        }
    }

    print_poem(poem);
    report_poem_done(settings, task);
    co_return true;
}

} // namespace poetry
