// defer-cancel-1: Part 19's defer-cancel-1.py. An operation is cancelled before it has a
// result, and its handler looks only at results.
//
// Twisted's d.cancel() fires the errback chain with CancelledError; with no errback, the
// error is reported unhandled. In Asio the caller binds a cancellation slot to its handler
// (bind_cancellation_slot) and emits on the signal behind it; an operation that supports
// cancellation completes with operation_aborted, and this handler lets the error pass
// unseen. The operation did complete: run() returns, and the program ends.
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
    return tutorial::run("defer-cancel-1", [&] {
        const tutorial::program_info info{"defer-cancel-1", "",
                                          "Part 19's defer-cancel-1: cancelled before its result, the operation\n"
                                          "completes with operation_aborted; this handler does not look."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> operation(loop, tutorial::abort_on_cancel<std::string>);
        asio::cancellation_signal cancel; // what the caller keeps, to cancel with
        operation.async_wait(
            asio::bind_cancellation_slot(cancel.slot(), [](std::exception_ptr error, std::string result) {
                if (!error) // a handler that looks only at results
                    std::cout << "callback got: " << result << std::endl;
            }));
        cancel.emit(asio::cancellation_type::terminal);
        loop.run(); // returns: the cancelled operation completed
        std::cout << "done" << std::endl;
        return 0;
    });
}
