// Reading a poem from disk, once, at start-up.
#pragma once

#include "poetry/protocol/error.hpp"

#include <cstddef>
#include <string>

namespace poetry {

/// A poem is held in memory whole: a larger file is refused before a byte is read.
inline constexpr std::size_t largest_poem_file = std::size_t{4} << 30;

/// The whole file as bytes, read to its end whatever size it reports. Sets `ec` when it is
/// missing, unreadable, a directory or not a regular file (a FIFO is refused, never waited on),
/// larger than largest_poem_file (`errc::poem_file_too_large`), or when memory runs out.
std::string read_poem_file(const std::string& path, error_code& ec);

} // namespace poetry
