// get-poetry-6: the Get Poetry Now! client written with completion handlers.
//
// Each address runs a chain of callbacks, as the original 6.0's Deferreds:
// download, then try to transform (a failure keeps the original poem), then
// record the poem; when every address is done, print the poems and stop. Each
// handler looks at its error_code first, as an errback would; get-poetry-7 takes
// the same steps with try/catch around co_await.
#include "common/cli.hpp"
#include "common/client_settings.hpp"
#include "common/task_report.hpp"

#include <boost/asio/io_context.hpp>

#include <string>
#include <vector>

using namespace poetry;

class poetry_client
{
public:
    poetry_client(asio::io_context& ctx, const client_settings& settings)
        : ctx_(ctx)
        , settings_(settings)
    {
        for (poem_task& task : make_tasks(settings))
            tasks_.emplace_back(settings, std::move(task));
        poems_.resize(tasks_.size());
    }

    void start()
    {
        for (std::size_t i = 0; i < tasks_.size(); ++i)
            get_poem(i);
    }

    int exit_status() const { return client_exit_status(settings_, failed_); }

private:
    void get_poem(std::size_t i)
    {
        const task_report& task = tasks_[i];
        async_get_poem(ctx_.get_executor(), task.task().server, task.download_options(),
                       [this, i](error_code ec, std::string poem) { on_poem(i, ec, std::move(poem)); });
    }

    void on_poem(std::size_t i, error_code ec, std::string poem)
    {
        if (ec)
        {
            tasks_[i].download_failed(ec);
            ++failed_;
            return poem_done();
        }
        tasks_[i].poem_received(poem.size());
        poems_[i] = std::move(poem);
        try_to_transform(i);
    }

    // The poem stays in its task's slot while the transform server reads it: one copy.
    void try_to_transform(std::size_t i)
    {
        if (!settings_.transform)
            return got_poem(i);
        tasks_[i].transform_started();
        async_transform(ctx_.get_executor(), settings_.transform_server, *settings_.transform, poems_[i],
                        tasks_[i].transform_request_options(), [this, i](error_code ec, std::string transformed) {
                            if (ec)
                                tasks_[i].transform_failed(ec); // the original is printed instead
                            else
                                poems_[i] = std::move(transformed);
                            got_poem(i);
                        });
    }

    void got_poem(std::size_t i)
    {
        tasks_[i].done();
        finished_.push_back(i);
        poem_done();
    }

    void poem_done()
    {
        if (finished_.size() + failed_ < tasks_.size())
            return;
        for (const std::size_t i : finished_)
            print_poem(poems_[i]);
        ctx_.stop();
    }

    asio::io_context& ctx_;
    const client_settings& settings_;
    std::vector<task_report> tasks_;
    std::vector<std::string> poems_;    // one slot per task
    std::vector<std::size_t> finished_; // the tasks whose poems are done, in the order they were done
    int failed_ = 0;
};

int
main(int argc, char** argv)
{
    return run_client(argc, argv, "get-poetry-6", "version 6.0 (callbacks)", [&](const client_settings& settings) {
        asio::io_context ctx(1);
        poetry_client client(ctx, settings);
        client.start();
        ctx.run();
        return client.exit_status();
    });
}
