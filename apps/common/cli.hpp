// Command-line conventions shared by every program of the suite: parsing, numbers
// with their ranges, and exit statuses.
#pragma once

#include "poetry/io/asio.hpp"

#include <boost/program_options.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace poetry::cli {

namespace po = boost::program_options;

/// A bad command line (an unknown option, a value out of range, a missing argument):
/// the program prints it with a hint and exits 2.
struct usage_error : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/// A well-formed command line that the world refused (a file that cannot be read or
/// written, a port in use, a host that does not resolve): the program prints it and exits 1.
struct runtime_failure : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

inline constexpr int exit_usage = 2;
inline constexpr int exit_failure = 1;

/// What --help shows.
struct program_info
{
    std::string name;     // "slowpoetry"
    std::string synopsis; // "[options] POEM_FILE"
    std::string summary;  // a paragraph saying what it does, with an example
};

/** Parse the command line, adding --help and --version to `options`.

    `hidden` holds the positional arguments, which --help leaves to the synopsis.
    Returns nothing when --help or --version was answered (exit 0).
    Throws usage_error for anything it cannot parse.
*/
std::optional<po::variables_map> parse(int argc, char** argv, const program_info& info,
                                       po::options_description& options, const po::options_description& hidden = {},
                                       const po::positional_options_description& positional = {});

/// Run `body`, turning usage_error into exit 2 and any other exception into exit 1.
int run(std::string_view program, const std::function<int()>& body);

// Numbers on the command line are taken as text and parsed once, here, with a stated
// range: program_options would wrap "-1" into a huge unsigned number. Every refusal
// reads "invalid OPTION 'TEXT': give WHAT from MIN to MAX" and is a usage_error.

/// A whole number from `min` to `max` ("--max-buffered"); `what` names it in a refusal.
std::uint64_t count_value(const std::string& text, std::string_view option, std::uint64_t min, std::uint64_t max,
                          std::string_view what = "a whole number");

/// A port, 0 to 65535 ("--port").
std::uint16_t port_value(const std::string& text, std::string_view option);

/// A duration in seconds, 0 to 86400, fractions allowed ("--delay").
clock::duration seconds_value(const std::string& text, std::string_view option);

/// A share from 0 to 1 ("--fail-rate").
double share_value(const std::string& text, std::string_view option);

} // namespace poetry::cli
