// Reading a poem from disk, once, at start-up.
#pragma once

#include "poetry/protocol/error.hpp"

#include <string>

namespace poetry {

/// The whole file as bytes. Sets `ec` when it is missing, unreadable or a directory.
std::string read_poem_file(const std::string& path, error_code& ec);

} // namespace poetry
