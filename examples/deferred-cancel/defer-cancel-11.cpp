// defer-cancel-11: Part 19's defer-cancel-11.py. The same poem, cancelled at 2 s, and this
// time the operation installs a cancellation handler: it cancels the timer that would
// send the poem, then completes with operation_aborted. (Its other choices, as the
// Python's comment lists them: complete with another error, or with another result;
// defer-cancel-6 and -7.) The program ends at 2 s, and the poem is never sent.
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
    return tutorial::run("defer-cancel-11", [&] {
        const tutorial::program_info info{"defer-cancel-11", "[--second SECONDS] [--trace FILE]",
                                          "Part 19's defer-cancel-11: cancelled at 2 s, the operation stops its timer\n"
                                          "and completes with operation_aborted."};
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
        tutorial::delayed_poem poem(loop, second, tutorial::cancellation::hearing);
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
