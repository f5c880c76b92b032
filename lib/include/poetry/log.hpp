// One-line log messages on stderr.
#pragma once

#include <string_view>

namespace poetry {

/// Name put before every log line ("slowpoetry: ...").
void set_log_name(std::string_view program);

/// Silence the per-connection lines (--quiet); sessions ask before they format one.
void set_log_quiet(bool quiet);
bool log_quiet();

/// Write one line to stderr in a single write, so concurrent lines never interleave.
void log_line(std::string_view text);

} // namespace poetry
