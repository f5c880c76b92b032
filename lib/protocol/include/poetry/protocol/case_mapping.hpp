// Unicode lower-casing of UTF-8 text, byte for byte as ICU's ucasemap_utf8ToLower in the
// root locale, which is also what Python 3's str.lower() gives.
#pragma once

#include "poetry/protocol/error.hpp"

#include <span>
#include <string>
#include <string_view>

namespace poetry {

/** Full Unicode lower-casing of UTF-8 text.

    One-to-many mappings (U+0130 becomes "i" and U+0307) and the Greek
    final sigma follow Unicode's default rules. Sets `ec` to
    `errc::invalid_utf8` when `text` is not valid UTF-8.
*/
std::string unicode_lower(std::string_view text, error_code& ec);

/// How far lowering into a buffer got: the first `read` bytes of the text gave the
/// first `written` bytes of the buffer.
struct lowering_progress
{
    std::size_t read = 0;
    std::size_t written = 0;
};

/// Room enough for the lower case of any `size` bytes of UTF-8: half as much again
/// (U+0130, two bytes, becomes three; nothing grows more), and 8 for the pass's steps.
constexpr std::size_t
most_lowered_size(std::size_t size) noexcept
{
    return size + size / 2 + 8;
}

/** unicode_lower into `out` (no allocation), from where `done` says, until the text
    ends or `out` may be too short for what comes next; returns how far it got.

    ASCII lowers to as many bytes: a buffer as long as the text holds the lower
    case of ASCII text whole. When the pass stops short, give it
    `done.written + most_lowered_size(text.size() - done.read)` bytes, the first
    `done.written` kept, and call again: it goes on where it stopped and then
    ends, each byte read once. Sets `ec` to `errc::invalid_utf8` at the first
    ill-formed sequence.
*/
lowering_progress unicode_lower_some(std::string_view text, lowering_progress done, std::span<char> out,
                                     error_code& ec) noexcept;

} // namespace poetry
