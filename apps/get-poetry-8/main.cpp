// get-poetry-8: the Get Poetry Now! client that waits on the whole set at once.
//
// The original 8.0 gathers its Deferreds in a DeferredList instead of counting
// finished tasks by hand. Here every address's coroutine (the same one as
// get-poetry-7's) becomes one operation of a parallel group, and main awaits
// the group as a single operation.
#include "common/cli.hpp"
#include "common/client_settings.hpp"
#include "get-poetry-7/get_transformed_poem.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>
#include <vector>

using namespace poetry;
namespace experimental = asio::experimental;

// Start every task at once; complete when all have. Returns how many downloads failed.
asio::awaitable<int>
get_all_poems(const client_settings& settings)
{
    const auto ex = co_await asio::this_coro::executor;
    std::vector<decltype(asio::co_spawn(ex, get_transformed_poem(settings, {}), asio::deferred))> tasks;
    for (const poem_task& task : make_tasks(settings))
        tasks.push_back(asio::co_spawn(ex, get_transformed_poem(settings, task), asio::deferred));

    auto [order, errors] = co_await experimental::make_parallel_group(std::move(tasks))
                               .async_wait(experimental::wait_for_all(), asio::use_awaitable);
    co_return static_cast<int>(std::count_if(errors.begin(), errors.end(),
                                             [](const std::exception_ptr& e) { return e && is_failed_download(e); }));
}

int
main(int argc, char** argv)
{
    return run_client(argc, argv, "get-poetry-8", "version 8.0 (one set)", [&](const client_settings& settings) {
        asio::io_context ctx(1);
        int failed = 0;
        asio::co_spawn(ctx, get_all_poems(settings), [&](std::exception_ptr e, int failures) {
            if (e)
                std::rethrow_exception(e);
            failed = failures;
        });
        ctx.run();
        return client_exit_status(settings, failed);
    });
}
