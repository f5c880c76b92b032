#include "poetry/protocol/case_mapping.hpp"

#include <unicode/ucasemap.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace poetry {

bool
is_ascii(std::string_view text) noexcept
{
    // Eight bytes at a time: any high bit set means a non-ASCII byte.
    const char* p = text.data();
    std::size_t n = text.size();
    std::uint64_t high = 0;
    for (; n >= 8; p += 8, n -= 8)
    {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        high |= word;
    }
    for (; n > 0; ++p, --n)
        high |= static_cast<unsigned char>(*p);
    return (high & 0x8080808080808080ULL) == 0;
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

constexpr std::uint64_t every_byte = 0x0101010101010101ULL;
constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

// Lower-case eight ASCII bytes at once. Each sum sets a byte's high bit when the
// byte is at least 'A' (or above 'Z'); no carry crosses into the next byte, since
// every byte is below 0x80. A capital gets 0x20 added: its bit 5 set.
std::uint64_t
lower_ascii_word(std::uint64_t word) noexcept
{
    const std::uint64_t from_a = word + every_byte * (0x80 - 'A');
    const std::uint64_t past_z = word + every_byte * (0x80 - 'Z' - 1);
    const std::uint64_t capitals = from_a & ~past_z & high_bits;
    return word | (capitals >> 2);
}

char
lower_ascii_char(char c) noexcept
{
    const auto byte = static_cast<unsigned char>(c);
    return static_cast<char>(byte | ((static_cast<unsigned char>(byte - 'A') < 26) << 5));
}

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
ascii_lower(std::string_view text)
{
    std::string out(text.size(), '\0');
    std::transform(text.begin(), text.end(), out.begin(), lower_ascii_char);
    return out;
}

namespace {

struct case_map_closer
{
    void operator()(UCaseMap* map) const noexcept { ucasemap_close(map); }
};

// The root locale gives the language-neutral mappings Python uses.
UCaseMap*
root_case_map()
{
    thread_local std::unique_ptr<UCaseMap, case_map_closer> map = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<UCaseMap, case_map_closer> m(ucasemap_open("", 0, &status));
        return U_SUCCESS(status) ? std::move(m) : nullptr;
    }();
    return map.get();
}

} // namespace

namespace {

// Room for the lower-case form: it rarely grows UTF-8 text, and then by little.
std::size_t
lowered_capacity(std::string_view text) noexcept
{
    return text.size() + text.size() / 8 + 16;
}

// One ICU pass over valid UTF-8 `text` into `out`: the length of the lower-case form, which
// is more than out.size() when `status` says U_BUFFER_OVERFLOW_ERROR; `status` failed
// when ICU cannot do it at all.
std::size_t
icu_lower_pass(std::string_view text, std::span<char> out, UErrorCode& status)
{
    status = U_ZERO_ERROR;
    UCaseMap* map = root_case_map();
    // ICU measures strings in int32_t.
    if (!map || text.size() > INT32_MAX / 2 || out.size() > INT32_MAX)
    {
        status = U_INTERNAL_PROGRAM_ERROR;
        return 0;
    }
    const int32_t needed = ucasemap_utf8ToLower(map, out.data(), static_cast<int32_t>(out.size()), text.data(),
                                                static_cast<int32_t>(text.size()), &status);
    return static_cast<std::size_t>(std::max<int32_t>(needed, 0));
}

// Lower-case valid UTF-8 `text` with ICU into `out`, which arrives sized by lowered_capacity.
void
icu_lower_into(std::string_view text, std::string& out, error_code& ec)
{
    ec = {};
    // Retry once with the exact size if the text grew more than expected.
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        UErrorCode status;
        const std::size_t needed = icu_lower_pass(text, out, status);
        if (status == U_BUFFER_OVERFLOW_ERROR)
        {
            out.assign(needed, '\0');
            continue;
        }
        if (U_FAILURE(status))
            break;
        out.resize(needed);
        return;
    }
    ec = errc::transform_failed;
}

} // namespace

std::string
unicode_lower(std::string_view text, error_code& ec)
{
    ec = {};
    // One buffer for either path. Poems are mostly ASCII: try that first; it stops
    // at the first byte that is not.
    std::string out(lowered_capacity(text), '\0');
    if (lower_if_ascii(text, out.data()))
    {
        out.resize(text.size());
        return out;
    }
    if (!is_valid_utf8(text))
    {
        ec = errc::invalid_utf8;
        return {};
    }
    icu_lower_into(text, out, ec);
    if (ec)
        return {};
    return out; // moved: a conditional expression here would copy the whole text
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
    if (lower_if_ascii(text, out.data()))
        return text.size();
    if (!is_valid_utf8(text))
    {
        ec = errc::invalid_utf8;
        return 0;
    }
    UErrorCode status;
    const std::size_t written = icu_lower_pass(text, out, status);
    if (U_FAILURE(status)) // an overflow too: `out` was promised to be large enough
    {
        ec = errc::transform_failed;
        return 0;
    }
    return written;
}

} // namespace poetry
