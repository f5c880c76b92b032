// The poem of defer-cancel-9 to -11, the original's get_poem: due five seconds from now,
// sent by a timer. Made `deaf`, its operation installs no cancellation handler, so a
// cancellation changes nothing; made `hearing`, its handler stops the timer and completes
// the operation with operation_aborted at once. (The Python's comment lists the other
// choices: another error, or another result; defer-cancel-6 and -7.)
#pragma once

#include "../twisted-deferred/pending.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace tutorial {

enum class cancellation
{
    deaf,   // no cancellation handler: the request is ignored
    hearing // the timer is stopped, and the operation completes with operation_aborted
};

struct delayed_poem
{
    delayed_poem(asio::io_context& loop, std::chrono::steady_clock::duration second, cancellation kind)
        : operation(loop, kind == cancellation::deaf ? pending<std::string>::canceller() : [this](auto& cancelled) {
            // They no longer want the poem: stop the delivery, and complete now.
            delivery.cancel();
            abort_on_cancel(cancelled);
        })
        , delivery(loop, 5 * second)
    {
        delivery.async_wait([this](boost::system::error_code ec) {
            if (ec)
                return; // the delivery was cancelled
            std::cout << "Sending poem" << std::endl;
            operation.deliver("A poem five seconds in the making.");
        });
    }

    pending<std::string> operation;
    asio::steady_timer delivery;
};

/// The original's got_poem and poem_error in one handler.
inline void
got_poem(std::exception_ptr error, std::string poem)
{
    if (error)
        std::cout << "get_poem failed: " << message_of(error) << std::endl;
    else
        std::cout << "I got a poem: " << poem << std::endl;
}

} // namespace tutorial
