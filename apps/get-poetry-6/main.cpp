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

    void try_to_transform(const poem_task& task, std::string poem)
    {
        if (!settings_.transform)
            return got_poem(task, std::move(poem));
        report_transform_started(settings_, task);
        async_transform(ctx_.get_executor(), settings_.transform_server, *settings_.transform, poem, settings_.xform,
                        [this, &task, original = poem](error_code ec, std::string transformed) mutable {
                            if (ec)
                            {
                                report_transform_failure(settings_, task, ec);
                                return got_poem(task, std::move(original));
                            }
                            got_poem(task, std::move(transformed));
                        });
    }

    void got_poem(const poem_task& task, std::string poem)
    {
        report_poem_done(settings_, task);
        poems_.push_back(std::move(poem));
        poem_done();
    }

    void poem_done()
    {
        if (poems_.size() + failed_ < tasks_.size())
            return;
        for (const std::string& poem : poems_)
            print_poem(poem);
        ctx_.stop();
    }

    asio::io_context& ctx_;
    const client_settings& settings_;
    const std::vector<poem_task> tasks_;
    std::vector<std::string> poems_;
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
