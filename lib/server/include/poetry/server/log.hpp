// One-line log messages on stderr, each with the time it was written.
#pragma once

#include <string_view>

namespace poetry {

/// Name put before every log line ("slowpoetry: ...").
void set_log_name(std::string_view program);

/// How much a server says about its connections.
enum class log_level
{
    quiet,   // --quiet: nothing per connection
    normal,  // a line when a client connects and one when it ends
    verbose, // --verbose: every step too (the slow server's chunks, the proxy's downloads)
};

void set_log_level(log_level level);

/// Sessions ask before they format a line.
bool log_quiet();
bool log_verbose();

/// "18:30:01.123 slowpoetry: TEXT" on stderr in a single write, so concurrent lines never interleave.
void log_line(std::string_view text);

} // namespace poetry
