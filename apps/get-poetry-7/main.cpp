// get-poetry-7: the Get Poetry Now! client written with C++20 coroutines.
//
// The same library operations as get-poetry-6, spelled with co_await: one
// coroutine per address reads top to bottom, as the original 7.0 does.
#include "poetry/cli.hpp"
#include "poetry/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <csignal>
#include <exception>

using namespace poetry;
using asio::awaitable;
using asio::use_awaitable;

// Download one poem, transform it, print it. Completes with true when the download succeeded.
awaitable<bool>
get_transformed_poem(const client_settings& settings, poem_task task)
{
    const auto ex = co_await asio::this_coro::executor;

    auto [ec, poem] = co_await async_get_poem(ex, task.server, fetch_options_for(settings, task),
                                              asio::as_tuple(use_awaitable));
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
            poem = co_await async_transform(ex, settings.transform_server, *settings.transform, poem,
                                            settings.xform, use_awaitable);
        }
        catch (const boost::system::system_error& e)
        {
            report_transform_failure(settings, task, e.code());
        }
    }

    print_poem(poem);
    co_return true;
}

int
main(int argc, char** argv)
{
    return cli::run("get-poetry-7", [&] {
        const auto settings = parse_client_command_line(argc, argv, "get-poetry-7", "version 7.0 (coroutines)");
        if (!settings)
            return 0;
        std::signal(SIGPIPE, SIG_IGN);

        asio::io_context ctx(1);
        const auto tasks = make_tasks(*settings);
        std::size_t done = 0;
        int failed = 0;
        for (const poem_task& task : tasks)
        {
            // An unexpected exception leaves ctx.run() and main reports it (exit 1).
            asio::co_spawn(ctx, get_transformed_poem(*settings, task),
                           [&](std::exception_ptr e, bool downloaded) {
                               if (e)
                                   std::rethrow_exception(e);
                               failed += downloaded ? 0 : 1;
                               if (++done == tasks.size())
                                   ctx.stop();
                           });
        }
        ctx.run();
        return client_exit_status(failed);
    });
}
