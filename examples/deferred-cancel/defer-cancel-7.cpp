// defer-cancel-7: Part 19's defer-cancel-7.py. A cancellation handler that completes the
// operation with an error of its own rather than operation_aborted.
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
    return tutorial::run("defer-cancel-7", [&] {
        const tutorial::program_info info{"defer-cancel-7", "",
                                          "Part 19's defer-cancel-7: a cancellation answered with another error."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> operation(loop, [](pending<std::string>& cancelled) {
            std::cout << "I need to cancel this operation." << std::endl;
            std::cout << "Completing it with an error." << std::endl;
            cancelled.fail(std::make_exception_ptr(std::runtime_error("error!")));
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
