// simple: Part 3's simple.py starts a reactor with nothing to do, and it runs until it is
// stopped (Ctrl-C). Asio's run() returns at once instead: its loop lasts while it has
// work. A work guard is work that never finishes by itself: with one, run() waits as the
// reactor does, until the guard is released, here by another thread.
#include "../common/command_line.hpp"
#include "../common/elapsed.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>
#include <thread>

namespace asio = boost::asio;
using tutorial::timedelta_text;

int
main(int argc, char** argv)
{
    return tutorial::run("simple", [&] {
        const tutorial::program_info info{"simple", "[--release-after SECONDS]",
                                          "Part 3's simple: run an event loop with nothing to do, first bare, then\n"
                                          "with a work guard that another thread releases."};
        const auto release_after = tutorial::duration_option(argc, argv, info, "release-after", "2",
                                                             "when the other thread releases the work guard");
        if (!release_after)
            return 0;

        asio::io_context reactor;
        auto start = tutorial::clock::now();
        reactor.run(); // no work: returns at once
        std::cout << "run() with nothing to do returned after " << timedelta_text(tutorial::clock::now() - start) << "."
                  << std::endl;

        reactor.restart(); // a run() that returned leaves the loop stopped until restarted
        auto guard = asio::make_work_guard(reactor);
        std::cout << "run() with a work guard waits until the guard is released..." << std::endl;
        start = tutorial::clock::now();
        std::thread releaser([&] {
            std::this_thread::sleep_for(*release_after);
            guard.reset(); // the last work is done: run() may return
        });
        reactor.run();
        std::cout << "run() returned after " << timedelta_text(tutorial::clock::now() - start)
                  << ", when the guard was released." << std::endl;
        releaser.join();
        return 0;
    });
}
