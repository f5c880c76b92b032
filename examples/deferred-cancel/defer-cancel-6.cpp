// defer-cancel-6: Part 19's defer-cancel-6.py. A cancellation handler that completes the
// operation with a result instead: cancelling is a request, and the operation answers
// it as it sees fit.
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
    return tutorial::run("defer-cancel-6", [&] {
        const tutorial::program_info info{"defer-cancel-6", "",
                                          "Part 19's defer-cancel-6: a cancellation answered with a result."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> operation(loop, [](pending<std::string>& cancelled) {
            std::cout << "I need to cancel this operation." << std::endl;
            std::cout << "Completing it with a result." << std::endl;
            cancelled.deliver("result");
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
