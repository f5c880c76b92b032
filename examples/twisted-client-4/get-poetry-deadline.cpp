// get-poetry-deadline: Part 8's exercise, a client whose every download has a deadline.
// Each poem's coroutine awaits two things at once, the download and a timer, and takes
// whichever finishes first: `download || timer`. When the timer wins, the download is
// cancelled where it stands. A deadline bounds the whole download; the suite's clients'
// --timeout bounds only the silence between two chunks, so a server that drips forever
// never trips it, and this deadline always does.
#include "../common/client_command.hpp"
#include "../common/download.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using namespace tutorial;

struct result
{
    std::size_t poems = 0;
    bool missed = false;
};

// The download with its failure as a value. `a || b` waits for the first of the two to
// succeed: a download that threw would leave the timer to win, and a refused connection
// would read as a missed deadline.
asio::awaitable<boost::system::error_code>
download_or_error(int task, const server_address& address, std::string& poem, trace_file& trace)
{
    try
    {
        co_await download(task, address, poem, trace);
    }
    catch (const boost::system::system_error& e)
    {
        co_return e.code();
    }
    co_return boost::system::error_code();
}

// One poem with a deadline: got whole, failed, or cut off when the deadline passed.
asio::awaitable<void>
get_poem(int task, server_address address, clock::duration deadline, trace_file& trace, result& results)
{
    const auto start = clock::now();
    asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
    std::string poem;
    const auto winner =
        co_await (download_or_error(task, address, poem, trace) || timer.async_wait(asio::use_awaitable));
    if (winner.index() == 1) // the timer: the download was cancelled
    {
        trace.event(task, address.text(), "deadline", poem.size());
        std::cerr << "Task " << task << ": no poem from " << address.text() << " before the deadline of "
                  << std::chrono::duration<double>(deadline).count() << " s (" << poem.size() << " bytes came)"
                  << std::endl;
        results.missed = true;
        co_return;
    }
    if (const auto failure = std::get<0>(winner)) // the download, and with it the timer, ended early
    {
        trace.event(task, address.text(), "failed", poem.size());
        std::cerr << "Task " << task << ": the poem download from " << address.text()
                  << " failed: " << failure.message() << std::endl;
        results.missed = true;
        co_return;
    }
    trace.event(task, address.text(), "done", poem.size());
    std::cout << "Task " << task << ": got " << poem.size() << " bytes of poetry from " << address.text() << " in "
              << timedelta_text(clock::now() - start) << std::endl;
    ++results.poems;
}

int
main(int argc, char** argv)
{
    return tutorial::run("get-poetry-deadline", [&] {
        const program_info info{"get-poetry-deadline", "[--deadline SECONDS] [--trace FILE] [host:]port ...",
                                "Part 8's exercise: get every server's poem at once, each within a deadline;\n"
                                "a download still running at its deadline is cancelled."};
        const auto command = read_client_command(
            argc, argv, info,
            {{"deadline", "SECONDS", "5", "how long each download may take, from its start to its end"}});
        if (!command)
            return 0;
        const auto& addresses = command->addresses;
        trace_file trace(command->options.text("trace"), info.name, argc, argv);

        const auto start = clock::now();
        asio::io_context reactor;
        result results;
        for (std::size_t i = 0; i < addresses.size(); ++i)
            asio::co_spawn(
                reactor,
                get_poem(static_cast<int>(i) + 1, addresses[i], command->options.seconds("deadline"), trace, results),
                asio::detached);
        reactor.run();

        std::cout << "Got " << results.poems << " poems in " << timedelta_text(clock::now() - start) << std::endl;
        trace.close();
        return results.missed ? 1 : 0;
    });
}
