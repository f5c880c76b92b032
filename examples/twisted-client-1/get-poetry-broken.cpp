// get-poetry-broken: Part 4's broken client. The same client as twisted-client-1, but
// its sockets are left blocking: when the loop calls a reader, that reader waits for the
// whole poem, and while it waits the loop cannot call anyone else. One slow server holds
// every download, and the other poems arrive only after it, in one piece.
#include "poetry_socket.hpp"

int
main(int argc, char** argv)
{
    return tutorial::run("get-poetry-broken", [&] {
        const tutorial::program_info info{
            "get-poetry-broken", "[--trace FILE] [host:]port ...",
            "Part 4's broken client: blocking sockets inside an event loop. A reader waits\n"
            "for its whole poem, and every other download waits with it."};
        return tutorial::get_every_poem(argc, argv, info, tutorial::reading::blocking);
    });
}
