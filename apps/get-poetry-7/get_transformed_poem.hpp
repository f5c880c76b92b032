// One address's whole job, spelled as a coroutine: download, transform, print.
#pragma once

#include "common/client_settings.hpp"

#include <boost/asio/awaitable.hpp>

namespace poetry {

/** Download the poem of `task`, have it transformed, print it.

    Reads top to bottom as the original client 7.0: a failed download is
    reported and ends the task; a failed transform is reported and the
    original poem is printed instead. Completes with true when the
    download succeeded. Throws only on unexpected errors.
*/
asio::awaitable<bool> get_transformed_poem(const client_settings& settings, poem_task task);

} // namespace poetry
