// UTF-8 read and written one code point at a time, and ASCII found eight bytes at a
// time: what the lower-casing pass stands on.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace poetry::detail {

using byte = unsigned char;

inline constexpr std::uint64_t every_byte = 0x0101010101010101ULL;
inline constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

/// What decode() gives for bytes that are not a well-formed UTF-8 sequence.
inline constexpr char32_t invalid_sequence = 0xFFFFFFFF;

/// The bytes before the first with its high bit set, of a word that has one, in memory order.
inline std::size_t
ascii_bytes_before(std::uint64_t high) noexcept
{
    if constexpr (std::endian::native == std::endian::little)
        return static_cast<std::size_t>(std::countr_zero(high)) / 8;
    else
        return static_cast<std::size_t>(std::countl_zero(high)) / 8;
}

/** One code point from `p`, at most to `end`, and its `length` in bytes; invalid_sequence
    when the bytes there are not well-formed UTF-8 as Python's strict decoder takes it
    (RFC 3629, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF). */
inline char32_t
decode(const byte* p, const byte* end, std::size_t& length) noexcept
{
    const byte b = *p;
    if (b < 0x80)
    {
        length = 1;
        return b;
    }
    // The allowed range of the second byte depends on the first.
    byte lo = 0x80, hi = 0xBF;
    char32_t c;
    if (b >= 0xC2 && b <= 0xDF)
        length = 2, c = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
    {
        length = 3, c = b & 0x0F;
        lo = b == 0xE0 ? 0xA0 : lo; // no overlong three-byte forms
        hi = b == 0xED ? 0x9F : hi; // no surrogates
    }
    else if (b >= 0xF0 && b <= 0xF4)
    {
        length = 4, c = b & 0x07;
        lo = b == 0xF0 ? 0x90 : lo; // no overlong four-byte forms
        hi = b == 0xF4 ? 0x8F : hi; // nothing above U+10FFFF
    }
    else
        return invalid_sequence;
    if (static_cast<std::size_t>(end - p) < length || p[1] < lo || p[1] > hi)
        return invalid_sequence;
    for (std::size_t i = 1; i < length; ++i)
    {
        if ((p[i] & 0xC0) != 0x80)
            return invalid_sequence;
        c = (c << 6) | (p[i] & 0x3F);
    }
    return c;
}

/// `c` written at `out` as UTF-8; returns the end of what was written.
inline char*
encode(char32_t c, char* out) noexcept
{
    if (c < 0x80)
        *out++ = static_cast<char>(c);
    else if (c < 0x800)
    {
        *out++ = static_cast<char>(0xC0 | (c >> 6));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    else if (c < 0x10000)
    {
        *out++ = static_cast<char>(0xE0 | (c >> 12));
        *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    else
    {
        *out++ = static_cast<char>(0xF0 | (c >> 18));
        *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

} // namespace poetry::detail
