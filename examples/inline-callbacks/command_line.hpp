// The Part 17 programs' command line: --help, --version, and for some one duration in seconds.
#pragma once

#include "common/cli.hpp"

#include <optional>
#include <string>

namespace inline_callbacks {

/// The option --`name` SECONDS (`default_seconds` when absent), how long the program's
/// timers take; nothing when --help or --version was answered. Throws cli::usage_error
/// for a bad value.
inline std::optional<poetry::clock::duration>
duration_option(int argc, char** argv, const poetry::cli::program_info& info, const std::string& name,
                std::string default_seconds, const char* meaning)
{
    namespace po = boost::program_options;
    po::options_description options("Options");
    options.add_options()(name.c_str(),
                          po::value(&default_seconds)->value_name("SECONDS")->default_value(default_seconds), meaning);
    if (!poetry::cli::parse(argc, argv, info, options))
        return std::nullopt;
    return poetry::cli::seconds_value(default_seconds, "--" + name);
}

/// A program without options: answers --help and --version (returns false then), refuses
/// anything else with cli::usage_error.
inline bool
no_options(int argc, char** argv, const poetry::cli::program_info& info)
{
    boost::program_options::options_description options("Options");
    return poetry::cli::parse(argc, argv, info, options).has_value();
}

} // namespace inline_callbacks
