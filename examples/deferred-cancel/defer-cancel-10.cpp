// defer-cancel-10: Part 19's defer-cancel-10.py. The same poem, cancelled at 2 s, by an
// operation that installs no cancellation handler. Twisted then fires CancelledError at
// 2 s by itself, and drops the poem when the timer sends it at 5 s. In Asio cancelling is
// only a request, and this operation does not hear it: nothing happens at 2 s, the timer
// goes on, and the late result arrives anyway, at 5 s. An operation must install a
// cancellation handler for the signal to mean anything (defer-cancel-11).
#include "../common/command_line.hpp"
#include "../common/trace_file.hpp"
#include "delayed_poem.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;

int
main(int argc, char** argv)
{
    return tutorial::run("defer-cancel-10", [&] {
        const tutorial::program_info info{"defer-cancel-10", "[--second SECONDS] [--trace FILE]",
                                          "Part 19's defer-cancel-10: cancelled at 2 s, an operation that ignores the\n"
                                          "request delivers its poem anyway at 5 s."};
        const auto command =
            tutorial::read_command_line(argc, argv, info,
                                        {{"second", "SECONDS", "1", "how long the program's second lasts"},
                                         {"trace", "FILE", "", "write the poem's lane to FILE, for poetry-timeline"}});
        if (!command)
            return 0;
        const auto second = command->seconds("second");
        tutorial::trace_file trace(command->text("trace"), info.name, argc, argv);
        const char* const lane = "the poem (due at 5 s)";

        asio::io_context loop;
        trace.event(1, lane, "start");
        tutorial::delayed_poem poem(loop, second, tutorial::cancellation::deaf);
        asio::cancellation_signal cancel;
        poem.operation.async_wait(
            asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr error, std::string text) {
                trace.event(1, lane, !error ? "done" : tutorial::was_cancelled(error) ? "cancelled" : "failed");
                tutorial::got_poem(error, text);
            }));
        asio::steady_timer canceller(loop, 2 * second);
        canceller.async_wait([&](boost::system::error_code) {
            std::cout << "Cancelling the poem at 2 s." << std::endl;
            trace.event(1, lane, "cancel");
            cancel.emit(asio::cancellation_type::terminal);
        });
        loop.run(); // until the poem's handler has run: nothing is left then
        trace.close();
        return 0;
    });
}
