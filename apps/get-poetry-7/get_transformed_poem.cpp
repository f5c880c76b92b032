#include "get-poetry-7/get_transformed_poem.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace poetry {

asio::awaitable<bool>
get_transformed_poem(const client_settings& settings, poem_task task)
{
    const auto ex = co_await asio::this_coro::executor;
    // Both steps complete with (error_code, poem): a failure is a value to look at, as in get-poetry-6.
    constexpr auto checked = asio::as_tuple(asio::use_awaitable);

    auto [download_error, poem] = co_await async_get_poem(ex, task.server, fetch_options_for(settings, task), checked);
    if (download_error)
    {
        report_download_failure(settings, task, download_error, poem.size());
        co_return false;
    }
    report_poem_received(settings, task, poem.size());

    if (settings.transform)
    {
        report_transform_started(settings, task);
        auto [transform_error, transformed] =
            co_await async_transform(ex, settings.transform_server, *settings.transform, poem, settings.xform, checked);
        if (transform_error)
            report_transform_failure(settings, task, transform_error); // the original poem is printed instead
        else
            poem = std::move(transformed);
    }

    print_poem(poem);
    report_poem_done(settings, task);
    co_return true;
}

} // namespace poetry
