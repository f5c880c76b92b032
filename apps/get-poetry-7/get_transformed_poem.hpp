// One address's whole job, spelled as a coroutine: download, transform, print.
#pragma once

#include "common/client_settings.hpp"

#include <boost/asio/awaitable.hpp>

#include <exception>

namespace poetry {

/** Download the poem of `task`, have it transformed, print it.

    Reads top to bottom as the original client 7.0 does. Failures arrive as
    exceptions at the co_await, as a failed Deferred raises at the yield: a
    failed download is reported and re-thrown (the original's `raise`), so
    the task ends with it; a failed transform is reported and the original
    poem is printed instead.
*/
asio::awaitable<void> get_transformed_poem(const client_settings& settings, poem_task task);

/// Whether `e`, which a get_transformed_poem ended with, is its failed download (already
/// reported). Anything else is unexpected: it is re-thrown.
bool is_failed_download(const std::exception_ptr& e);

} // namespace poetry
