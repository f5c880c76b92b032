// defer-cancel-4: Part 19's defer-cancel-4.py. Cancelled, then the result arrives.
// Twisted swallows the first callback() after a cancel(), so the late result is dropped
// without a word. An Asio operation completes once: the late result finds it completed,
// and pending.hpp says so (already_called). A real operation drops it itself, as the
// suite's proxy drops a cancelled download's bytes.
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
    return tutorial::run("defer-cancel-4", [&] {
        const tutorial::program_info info{"defer-cancel-4", "",
                                          "Part 19's defer-cancel-4: cancelled first, so the result that comes later\n"
                                          "finds the operation completed."};
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
        loop.run(); // the handler gets operation_aborted
        try
        {
            operation.deliver("result");
        }
        catch (const tutorial::already_called& late)
        {
            std::cout << "the result, after the cancellation: " << late.what() << std::endl;
        }
        std::cout << "done" << std::endl;
        return 0;
    });
}
