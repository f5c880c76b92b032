// countdown: Part 3's countdown.py. A handler that re-arms its own timer: the loop calls
// count() once a tick, five times; at zero it arms nothing more, the loop has no work
// left, and run() returns. That is this program's reactor.stop().
#include "../common/command_line.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;

class countdown
{
public:
    countdown(asio::io_context& reactor, std::chrono::steady_clock::duration tick)
        : timer_(reactor)
        , tick_(tick)
    {
    }

    void count()
    {
        if (counter_ == 0)
            return; // no timer armed: the loop is out of work and stops
        std::cout << counter_ << " ..." << std::endl;
        --counter_;
        timer_.expires_after(tick_); // the original's reactor.callLater(1, self.count)
        timer_.async_wait([this](boost::system::error_code) { count(); });
    }

private:
    asio::steady_timer timer_;
    std::chrono::steady_clock::duration tick_;
    int counter_ = 5;
};

int
main(int argc, char** argv)
{
    return tutorial::run("countdown", [&] {
        const tutorial::program_info info{"countdown", "[--tick SECONDS]",
                                          "Part 3's countdown: a timer's handler arms the timer again, five times,\n"
                                          "and the loop stops when no timer is left."};
        const auto tick = tutorial::duration_option(argc, argv, info, "tick", "1", "the time between two counts");
        if (!tick)
            return 0;

        asio::io_context reactor;
        countdown counter(reactor, *tick);
        asio::post(reactor, [&] { counter.count(); });
        std::cout << "Start!" << std::endl;
        reactor.run();
        std::cout << "Stop!" << std::endl;
        return 0;
    });
}
