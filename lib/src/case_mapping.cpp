#include "poetry/case_mapping.hpp"

#include <unicode/ucasemap.h>
#include <unicode/utypes.h>

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

std::string
ascii_lower(std::string_view text)
{
    std::string out(text.size(), '\0');
    // A branch-free loop the compiler vectorises.
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool upper = static_cast<unsigned char>(c - 'A') < 26;
        out[i] = static_cast<char>(c | (upper << 5));
    }
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

std::string
unicode_lower(std::string_view text, error_code& ec)
{
    ec = {};
    if (is_ascii(text))
        return ascii_lower(text);
    if (!is_valid_utf8(text))
    {
        ec = errc::invalid_utf8;
        return {};
    }
    return icu_lower(text, ec);
}

std::string
icu_lower(std::string_view text, error_code& ec)
{
    ec = {};
    UCaseMap* map = root_case_map();
    // ICU measures strings in int32_t.
    if (!map || text.size() > INT32_MAX / 2)
    {
        ec = errc::transform_failed;
        return {};
    }

    // Lower-casing rarely grows UTF-8 text; retry once with the exact size if it does.
    std::string out(text.size() + text.size() / 8 + 16, '\0');
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        UErrorCode status = U_ZERO_ERROR;
        const int32_t needed =
            ucasemap_utf8ToLower(map, out.data(), static_cast<int32_t>(out.size()), text.data(),
                                 static_cast<int32_t>(text.size()), &status);
        if (status == U_BUFFER_OVERFLOW_ERROR)
        {
            out.assign(static_cast<std::size_t>(needed), '\0');
            continue;
        }
        if (U_FAILURE(status))
            break;
        out.resize(static_cast<std::size_t>(needed));
        return out;
    }
    ec = errc::transform_failed;
    return {};
}

} // namespace poetry
