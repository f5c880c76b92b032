// Reading a poem from disk, once, at start-up.
#pragma once

#include "poetry/protocol/error.hpp"

#include <string>

namespace poetry {

/// The whole file as bytes, read to its end whatever size it reports. Sets `ec` when it is
/// missing, unreadable, a directory or not a regular file (a FIFO is refused, never waited on).
std::string read_poem_file(const std::string& path, error_code& ec);

} // namespace poetry
