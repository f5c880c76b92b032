// defer-cancel-5: Part 19's defer-cancel-5.py. The operation's own cancellation handler
// (Twisted's canceller): the lower-level code that made the operation decides what a
// cancellation does. This one says so and completes with operation_aborted, as Twisted
// fires CancelledError after a canceller that does not fire the Deferred itself.
#include "../common/command_line.hpp"
#include "../twisted-deferred/pending.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

int
main(int argc, char** argv)
{
    return tutorial::run("defer-cancel-5", [&] {
        const tutorial::program_info info{"defer-cancel-5", "",
                                          "Part 19's defer-cancel-5: the operation's own cancellation handler runs\n"
                                          "when the signal is emitted."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> operation(loop, [](pending<std::string>& cancelled) {
            std::cout << "I need to cancel this operation." << std::endl;
            tutorial::abort_on_cancel(cancelled);
        });
        asio::cancellation_signal cancel; // what the caller keeps, to cancel with
        operation.async_wait(
            asio::bind_cancellation_slot(cancel.slot(), [](std::exception_ptr error, std::string result) {
                if (error)
                    std::cout << "errback got: " << tutorial::message_of(error) << std::endl;
                else
                    std::cout << "callback got: " << result << std::endl;
            }));
        cancel.emit(asio::cancellation_type::terminal);
        loop.run();
        std::cout << "done" << std::endl;
        return 0;
    });
}
