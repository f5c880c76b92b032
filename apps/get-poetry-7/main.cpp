// get-poetry-7: the Get Poetry Now! client written with C++20 coroutines.
//
// The same library operations as get-poetry-6, spelled with co_await: one
// coroutine per address (get_transformed_poem, in get_transformed_poem.cpp beside
// this file) reads top to bottom, as the original 7.0 does, failures caught with
// try/catch around each co_await where get-poetry-6 has an errback. Here we start
// one per address and count them as they finish.
#include "common/cli.hpp"
#include "common/client_settings.hpp"
#include "get-poetry-7/get_transformed_poem.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>

using namespace poetry;

int
main(int argc, char** argv)
{
    return run_client(argc, argv, "get-poetry-7", "version 7.0 (coroutines)", [&](const client_settings& settings) {
        asio::io_context ctx(1);
        const auto tasks = make_tasks(settings);
        std::size_t done = 0;
        int failed = 0;
        for (const poem_task& task : tasks)
        {
            // An unexpected exception leaves ctx.run() and main reports it (exit 1).
            asio::co_spawn(ctx, get_transformed_poem(settings, task), [&](std::exception_ptr e) {
                if (e && is_failed_download(e))
                    ++failed;
                if (++done == tasks.size())
                    ctx.stop();
            });
        }
        ctx.run();
        return client_exit_status(settings, failed);
    });
}
