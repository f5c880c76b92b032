// twisted-client-1: Part 4's first client on an event loop. Each socket is non-blocking,
// and the loop calls its reader whenever bytes are waiting: every poem comes at once, in
// one thread, as async-client's, but the loop is Asio's instead of one written by hand.
// The socket and its reader are in poetry_socket.hpp.
#include "poetry_socket.hpp"

int
main(int argc, char** argv)
{
    return tutorial::run("twisted-client-1", [&] {
        const tutorial::program_info info{
            "twisted-client-1", "[--trace FILE] [host:]port ...",
            "Part 4's client: the event loop watches every non-blocking socket and calls its\n"
            "reader when bytes are waiting, so every poem comes at once."};
        return tutorial::get_every_poem(argc, argv, info, tutorial::reading::non_blocking);
    });
}
