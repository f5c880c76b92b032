#include "poetry/protocol/case_mapping.hpp"

#include "ascii_lower.hpp"
#include "code_point_lower.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace poetry {

bool
is_ascii(std::string_view text) noexcept
{
    // Eight bytes at a time, stopping at the first word with a high bit set: a long text
    // that is not ASCII is usually found out in its first lines.
    const char* p = text.data();
    std::size_t n = text.size();
    for (; n >= 8; p += 8, n -= 8)
    {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        if (word & 0x8080808080808080ULL)
            return false;
    }
    for (; n > 0; ++p, --n)
        if (static_cast<unsigned char>(*p) & 0x80)
            return false;
    return true;
}

bool
is_valid_utf8(std::string_view text) noexcept
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end)
    {
        // Runs of ASCII, eight bytes at a time.
        std::uint64_t word;
        if (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ULL) == 0))
        {
            p += 8;
            continue;
        }
        const unsigned char b = *p;
        if (b < 0x80)
        {
            ++p;
            continue;
        }
        // The allowed range of the second byte depends on the first (RFC 3629, table 3-7).
        std::size_t extra;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF)
            extra = 1;
        else if (b >= 0xE0 && b <= 0xEF)
        {
            extra = 2;
            if (b == 0xE0)
                lo = 0xA0; // no overlong three-byte forms
            else if (b == 0xED)
                hi = 0x9F; // no surrogates
        }
        else if (b >= 0xF0 && b <= 0xF4)
        {
            extra = 3;
            if (b == 0xF0)
                lo = 0x90; // no overlong four-byte forms
            else if (b == 0xF4)
                hi = 0x8F; // nothing above U+10FFFF
        }
        else
            return false;

        if (static_cast<std::size_t>(end - p) <= extra)
            return false;
        if (p[1] < lo || p[1] > hi)
            return false;
        for (std::size_t i = 2; i <= extra; ++i)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += extra + 1;
    }
    return true;
}

namespace {

using detail::high_bits;
using detail::lower_ascii_char;
using detail::lower_ascii_word;

// Lower-case `text` into `out` (as long as `text`) eight bytes at a time;
// false at the first non-ASCII byte, leaving `out` partly written.
bool
lower_if_ascii(std::string_view text, char* out) noexcept
{
    const char* in = text.data();
    std::size_t n = text.size();
    for (; n >= 8; in += 8, out += 8, n -= 8)
    {
        std::uint64_t word;
        std::memcpy(&word, in, 8);
        if (word & high_bits)
            return false;
        word = lower_ascii_word(word);
        std::memcpy(out, &word, 8);
    }
    for (; n > 0; ++in, ++out, --n)
    {
        if (static_cast<unsigned char>(*in) & 0x80)
            return false;
        *out = lower_ascii_char(*in);
    }
    return true;
}

} // namespace

std::string
unicode_lower(std::string_view text, error_code& ec)
{
    std::string out(lowered_size_bound(text), '\0');
    out.resize(unicode_lower_into(text, out, ec));
    return out;
}

std::size_t
lowered_size_bound(std::string_view text) noexcept
{
    return is_ascii(text) ? text.size() : text.size() + text.size() / 2;
}

std::size_t
unicode_lower_into(std::string_view text, std::span<char> out, error_code& ec)
{
    ec = {};
    if (out.size() < text.size())
    {
        ec = errc::transform_failed;
        return 0;
    }
    // Poems are mostly ASCII: try that first; it stops at the first byte that is not.
    if (lower_if_ascii(text, out.data()))
        return text.size();
    if (out.size() < text.size() + text.size() / 2)
    {
        ec = errc::transform_failed;
        return 0;
    }
    bool valid = false;
    const std::size_t written = detail::lower_code_points(text, out.data(), valid);
    if (!valid)
        ec = errc::invalid_utf8;
    return written;
}

} // namespace poetry
