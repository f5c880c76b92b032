// Unicode lower-casing, byte-for-byte as Python 3's str.lower() on UTF-8 text.
#pragma once

#include "poetry/protocol/error.hpp"

#include <span>
#include <string>
#include <string_view>

namespace poetry {

/// True when `text` is well-formed UTF-8 as Python's strict decoder accepts it
/// (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// True when every byte is below 0x80.
bool is_ascii(std::string_view text) noexcept;

/** Full Unicode lower-casing of UTF-8 text.

    One-to-many mappings (U+0130 becomes "i" and U+0307) and the Greek
    final sigma follow Unicode's default rules, as Python's str.lower()
    does. ASCII-only text takes a fast path. Sets `ec` to
    `errc::invalid_utf8` when `text` is not valid UTF-8.
*/
std::string unicode_lower(std::string_view text, error_code& ec);

/// The most bytes lower-casing `text` can give: its size when it is ASCII, else half
/// as much again (U+0130, two bytes, becomes three; nothing grows more).
std::size_t lowered_size_bound(std::string_view text) noexcept;

/// unicode_lower into `out`, which holds at least lowered_size_bound(text) bytes: no
/// allocation. Returns the bytes written; sets `ec` as unicode_lower does.
std::size_t unicode_lower_into(std::string_view text, std::span<char> out, error_code& ec);

} // namespace poetry
