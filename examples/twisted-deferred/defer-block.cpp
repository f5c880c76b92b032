// defer-block: Part 7's defer-block.py. A callback chain is fired from a handler, and one
// callback in it blocks: it writes a poem with a sleep before each word. Firing a chain
// runs it there and then, so the handler, and the loop that called it, wait for every
// sleep. Give it poetry servers and their downloads run meanwhile: in the picture of the
// run (--trace), every lane stops at once for as long as the poem takes.
#include "../common/client_command.hpp"
#include "../common/download.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <iostream>
#include <list>
#include <thread>

namespace asio = boost::asio;
using namespace tutorial;

// Each word after its pause (in the original's seconds, times `second`).
void
blocking_poem(clock::duration second)
{
    const std::pair<const char*, double> words[] = {{"\n", 0},          {"I", 0.6},    {" block", 0.4},
                                                    {"\n and", 1},      {" the", 0.4}, {" deferred", 0.6},
                                                    {"\n blocks", 1.5}, {"\n\n", 2}};
    for (const auto& [text, pause] : words)
    {
        std::this_thread::sleep_for(std::chrono::duration_cast<clock::duration>(pause * second)); // the loop waits too
        std::cout << text << std::flush;
    }
}

// The original's callback_it: fire the chain. Each callback runs before callback() returns.
void
callback_it(clock::duration second, trace_file& trace)
{
    std::cout << "About to call callback." << std::endl;
    trace.event(0, "-", "block");
    std::cout << "The start of the callback chain." << std::endl;
    blocking_poem(second);
    std::cout << "The end of the callback chain." << std::endl;
    trace.event(0, "-", "unblock");
    std::cout << "Callback returned." << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-block", [&] {
        const program_info info{"defer-block",
                                "[--block-at SECONDS] [--second SECONDS] [--trace FILE] [[host:]port ...]",
                                "Part 7's defer-block: a callback that sleeps blocks the event loop that called it.\n"
                                "With poetry servers, their downloads run meanwhile and stop while it sleeps."};
        const auto command = read_client_command(
            argc, argv, info,
            {{"block-at", "SECONDS", "1", "when the loop calls the blocking callback chain"},
             {"second", "SECONDS", "1", "how long the poem's second is (the original's sleeps last 6.5 of them)"}},
            true);
        if (!command)
            return 0;
        const auto& addresses = command->addresses;
        trace_file trace(command->options.text("trace"), info.name, argc, argv);

        asio::io_context reactor;
        std::list<std::string> poems;
        bool failed = false;
        for (std::size_t i = 0; i < addresses.size(); ++i)
        {
            const int task = static_cast<int>(i) + 1;
            asio::co_spawn(reactor, download(task, addresses[i], poems.emplace_back(), trace),
                           [&, task](std::exception_ptr e) {
                               try
                               {
                                   if (e)
                                       std::rethrow_exception(e);
                                   trace.event(task, addresses[task - 1].text(), "done");
                               }
                               catch (const std::exception& error)
                               {
                                   trace.event(task, addresses[task - 1].text(), "failed");
                                   std::cerr << "Task " << task << " failed: " << error.what() << std::endl;
                                   failed = true;
                               }
                           });
        }
        asio::steady_timer block_at(reactor, command->options.seconds("block-at"));
        block_at.async_wait([&](boost::system::error_code) { callback_it(command->options.seconds("second"), trace); });
        reactor.run();

        int task = 0;
        for (const auto& poem : poems)
            std::cout << "Task " << ++task << ": " << poem.size() << " bytes of poetry" << std::endl;
        trace.close();
        return failed ? 1 : 0;
    });
}
