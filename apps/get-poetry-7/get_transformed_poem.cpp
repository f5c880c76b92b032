#include "get-poetry-7/get_transformed_poem.hpp"

#include "common/task_report.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace poetry {

asio::awaitable<void>
get_transformed_poem(const client_settings& settings, poem_task task)
{
    const auto ex = co_await asio::this_coro::executor;
    const task_report report(settings, std::move(task));

    std::string poem;
    try
    {
        poem = co_await async_get_poem(ex, report.task().server, report.download_options(), asio::use_awaitable);
    }
    catch (const boost::system::system_error& e)
    {
        report.download_failed(e.code());
        throw;
    }
    report.poem_received(poem.size());

    if (settings.transform)
    {
        report.transform_started();
        try
        {
            poem = co_await async_transform(ex, settings.transform_server, *settings.transform, poem,
                                            report.transform_request_options(), asio::use_awaitable);
        }
        catch (const boost::system::system_error& e)
        {
            report.transform_failed(e.code()); // and the poem stays as it was
        }
    }

    print_poem(poem);
    report.done();
}

bool
is_failed_download(const std::exception_ptr& e)
{
    try
    {
        std::rethrow_exception(e);
    }
    catch (const boost::system::system_error&)
    {
        return true; // what a failed asynchronous operation throws: the re-thrown download
    }
}

} // namespace poetry
