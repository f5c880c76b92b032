// defer-cancel-9: Part 19's defer-cancel-9.py. A poem that takes five seconds, asked for
// and left alone: a timer delivers it. The Python stops its reactor at 10 s; run() here
// returns once the poem's handler has run, with nothing left to do.
#include "../common/command_line.hpp"
#include "../common/trace_file.hpp"
#include "delayed_poem.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <iostream>

namespace asio = boost::asio;

int
main(int argc, char** argv)
{
    return tutorial::run("defer-cancel-9", [&] {
        const tutorial::program_info info{"defer-cancel-9", "[--second SECONDS] [--trace FILE]",
                                          "Part 19's defer-cancel-9: a poem in five seconds, not cancelled."};
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
        loop.run(); // until the poem's handler has run: nothing is left then
        trace.close();
        return 0;
    });
}
