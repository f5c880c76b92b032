// get-poetry-6: the Get Poetry Now! client written with completion handlers.
//
// Each address runs a chain of callbacks, as the original 6.0's Deferreds:
// download, then try to transform (a failure keeps the original poem), then
// record the poem; when every address is done, print the poems and stop.
#include "common/cli.hpp"
#include "common/client_settings.hpp"

#include <boost/asio/io_context.hpp>

#include <csignal>
#include <string>
#include <vector>

using namespace poetry;

class poetry_client
{
public:
    poetry_client(asio::io_context& ctx, const client_settings& settings)
        : ctx_(ctx)
        , settings_(settings)
        , tasks_(make_tasks(settings))
        , poems_(tasks_.size())
    {
    }

    void start()
    {
        for (const poem_task& task : tasks_)
            get_poem(task);
    }

    int exit_status() const { return client_exit_status(settings_, failed_); }

private:
    void get_poem(const poem_task& task)
    {
        async_get_poem(ctx_.get_executor(), task.server, fetch_options_for(settings_, task),
                       [this, &task](error_code ec, std::string poem) { on_poem(task, ec, std::move(poem)); });
    }

    void on_poem(const poem_task& task, error_code ec, std::string poem)
    {
        if (ec)
        {
            report_download_failure(settings_, task, ec, poem.size());
            ++failed_;
            return poem_done();
        }
        report_poem_received(settings_, task, poem.size());
        try_to_transform(task, std::move(poem));
    }

    // The poem stays in its task's slot while the transform server reads it: one copy.
    void try_to_transform(const poem_task& task, std::string poem)
    {
        std::string& held = poem_of(task);
        held = std::move(poem);
        if (!settings_.transform)
            return got_poem(task);
        report_transform_started(settings_, task);
        async_transform(ctx_.get_executor(), settings_.transform_server, *settings_.transform, held, settings_.xform,
                        [this, &task](error_code ec, std::string transformed) {
                            if (ec)
                                report_transform_failure(settings_, task, ec); // the original is printed instead
                            else
                                poem_of(task) = std::move(transformed);
                            got_poem(task);
                        });
    }

    void got_poem(const poem_task& task)
    {
        report_poem_done(settings_, task);
        finished_.push_back(&poem_of(task));
        poem_done();
    }

    void poem_done()
    {
        if (finished_.size() + failed_ < tasks_.size())
            return;
        for (const std::string* poem : finished_)
            print_poem(*poem);
        ctx_.stop();
    }

    std::string& poem_of(const poem_task& task) { return poems_[static_cast<std::size_t>(&task - tasks_.data())]; }

    asio::io_context& ctx_;
    const client_settings& settings_;
    const std::vector<poem_task> tasks_;
    std::vector<std::string> poems_;           // one slot per task
    std::vector<const std::string*> finished_; // the poems done, in the order they were done
    std::size_t failed_ = 0;
};

int
main(int argc, char** argv)
{
    return cli::run("get-poetry-6", [&] {
        const auto settings = parse_client_command_line(argc, argv, "get-poetry-6", "version 6.0 (callbacks)");
        if (!settings)
            return 0;
        std::signal(SIGPIPE, SIG_IGN);

        asio::io_context ctx(1);
        poetry_client client(ctx, *settings);
        client.start();
        ctx.run();
        return client.exit_status();
    });
}
