// defer-cancel-2: Part 19's defer-cancel-2.py. The same cancellation, and the handler
// looks at its error: operation_aborted ("Operation canceled"), Asio's CancelledError.
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
    return tutorial::run("defer-cancel-2", [&] {
        const tutorial::program_info info{"defer-cancel-2", "",
                                          "Part 19's defer-cancel-2: a cancelled operation's handler gets\n"
                                          "operation_aborted."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> operation(loop, tutorial::abort_on_cancel<std::string>);
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
