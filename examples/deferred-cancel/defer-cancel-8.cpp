// defer-cancel-8: Part 19's defer-cancel-8.py. The operation has a cancellation handler,
// but the result came first: the handler left the slot with the result, so it is never
// called, and the cancellation changes nothing.
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
    return tutorial::run("defer-cancel-8", [&] {
        const tutorial::program_info info{"defer-cancel-8", "",
                                          "Part 19's defer-cancel-8: after the result, the operation's cancellation\n"
                                          "handler is not called."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> operation(loop, [](pending<std::string>& cancelled) {
            std::cout << "I need to cancel this operation." << std::endl; // never printed
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
        operation.deliver("result");
        cancel.emit(asio::cancellation_type::terminal);
        loop.run();
        std::cout << "done" << std::endl;
        return 0;
    });
}
