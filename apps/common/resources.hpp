// The process's own limits.
#pragma once

#include <cstddef>

namespace poetry {

/// Raise the open-file soft limit to the hard limit: every connection needs a descriptor.
void raise_open_file_limit() noexcept;

/// The descriptors this process may have open at once (the open-file soft limit).
std::size_t open_file_limit() noexcept;

} // namespace poetry
