// The transforms a transform server offers, by name.
#pragma once

#include "poetry/protocol/case_mapping.hpp"
#include "poetry/protocol/error.hpp"

#include <span>
#include <string>
#include <string_view>

namespace poetry {

/// A transform: turns a poem into another, or sets `ec` and returns nothing.
using transform_function = std::string (*)(std::string_view poem, error_code& ec);

/// The same transform writing into a buffer, from where `done` says, until the poem ends or
/// the buffer may be too short for what comes next; as unicode_lower_some does, whose
/// contract every transform keeps (a buffer as long as the poem to begin with).
using transform_some_function = lowering_progress (*)(std::string_view poem, lowering_progress done,
                                                      std::span<char> out, error_code& ec) noexcept;

/// Room enough for what a transform gives for any `size` bytes of poem.
using transform_room_function = std::size_t (*)(std::size_t size) noexcept;

/// The original's one transform: the poem in lower case, as e. e. cummings wrote.
std::string cummingsify(std::string_view poem, error_code& ec);

/// A transform the server offers, as `transformedpoetry --list` shows it.
struct transform_entry
{
    std::string_view name;
    transform_function function;
    transform_some_function some;
    transform_room_function most_output;
    std::string_view summary;
};

/// The transform called `name`, or nullptr when there is none.
const transform_entry* find_transform(std::string_view name) noexcept;

/// Every transform the server offers.
std::span<const transform_entry> offered_transforms() noexcept;

/// A name from the network, fit for a log line: printable ASCII, at most 40 characters.
std::string printable_name(std::string_view name);

/// A transform request's payload, "NAME.POEM", split at its first dot.
struct transform_request
{
    std::string_view name;
    std::string_view poem;
};

/// Split a request's payload. Sets `ec` to `errc::no_transform_name` when it has no dot.
transform_request parse_transform_request(std::string_view payload, error_code& ec) noexcept;

/// The transform a request's payload asks for, and its poem; nullptr, with `ec` set to
/// `errc::no_transform_name` or `errc::unknown_transform`, when there is none.
const transform_entry* requested_transform(std::string_view payload, std::string_view& poem, error_code& ec) noexcept;

} // namespace poetry
