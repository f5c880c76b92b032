// One-line log messages on stderr, each with the time it was written.
#pragma once

#include "poetry/io/asio.hpp"

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

/// "18:30:01.123 slowpoetry: TEXT" on stderr, never interleaved with another line, and
/// never waiting for the log's reader: a thread of its own writes the lines from a
/// bounded queue; a line that does not fit is dropped, and the log says how many were.
void log_line(std::string_view text);

/// Wait until every line logged is written, at most `limit` (a reader that stopped
/// reading keeps the rest); false if some are not. Programs call it before they exit.
bool log_drain(clock::duration limit);

} // namespace poetry
