// The process's own limits.
#pragma once

namespace poetry {

/// Raise the open-file soft limit to the hard limit: every connection needs a descriptor.
void raise_open_file_limit() noexcept;

} // namespace poetry
