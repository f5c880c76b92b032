#include "code_point_lower.hpp"

#include "ascii_lower.hpp"

#include <unicode/uchar.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>

namespace poetry::detail {
namespace {

using byte = unsigned char;

constexpr char32_t capital_sigma = 0x3A3;
constexpr char32_t small_sigma = 0x3C3;
constexpr char32_t final_sigma = 0x3C2;
constexpr char32_t capital_i_with_dot = 0x130;
constexpr char32_t invalid = 0xFFFFFFFF;

// The simple lower case of every code point of the BMP (Latin, Greek, Cyrillic, Armenian,
// Georgian, Cherokee, full-width Latin...), asked of ICU once: a look-up instead of a call.
// Every one of them maps into the BMP; the tests check it, with every other code point.
using bmp_table = std::array<char16_t, 0x10000>;

const bmp_table&
bmp_lower() noexcept
{
    static const auto table = [] {
        auto lower = std::make_unique<bmp_table>();
        for (char32_t c = 0; c < lower->size(); ++c)
            (*lower)[c] = static_cast<char16_t>(u_tolower(static_cast<UChar32>(c)));
        return lower;
    }();
    return *table;
}

// One code point from `p`, at most `end`, checked as is_valid_utf8 checks (RFC 3629,
// table 3-7); `invalid` when the bytes there are not a well-formed UTF-8 sequence.
inline char32_t
decode(const byte* p, const byte* end, std::size_t& length) noexcept
{
    const byte b = *p;
    if (b < 0x80)
    {
        length = 1;
        return b;
    }
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
        return invalid;
    if (static_cast<std::size_t>(end - p) < length || p[1] < lo || p[1] > hi)
        return invalid;
    for (std::size_t i = 1; i < length; ++i)
    {
        if ((p[i] & 0xC0) != 0x80)
            return invalid;
        c = (c << 6) | (p[i] & 0x3F);
    }
    return c;
}

// The code point that ends just before `p`, no earlier than `begin`; `p` moves to its start.
char32_t
decode_before(const byte* begin, const byte*& p) noexcept
{
    const byte* const after = p;
    do
        --p;
    while (p > begin && (*p & 0xC0) == 0x80);
    std::size_t length;
    return decode(p, after, length);
}

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

// Final_Sigma's test of one neighbour, as ICU makes it: case-ignorable code points are
// passed over (even those that are cased too); the first other one decides.
enum class neighbour : std::uint8_t
{
    pass_over,
    cased,
    uncased
};

neighbour
ask_icu(char32_t c) noexcept
{
    const auto cp = static_cast<UChar32>(c);
    if (u_hasBinaryProperty(cp, UCHAR_CASE_IGNORABLE))
        return neighbour::pass_over;
    return u_hasBinaryProperty(cp, UCHAR_CASED) ? neighbour::cased : neighbour::uncased;
}

// The answer for every code point of the BMP, asked of ICU once, the first time a
// capital sigma is seen: Greek text asks about every sigma's neighbours.
neighbour
classify(char32_t c) noexcept
{
    static const auto bmp = [] {
        auto kinds = std::make_unique<std::array<neighbour, 0x10000>>();
        for (char32_t each = 0; each < kinds->size(); ++each)
            (*kinds)[each] = ask_icu(each);
        return kinds;
    }();
    return c < bmp->size() ? (*bmp)[c] : ask_icu(c);
}

// Unicode's Final_Sigma (3.13): the sigma at [at, at + length) ends a word when a cased
// letter comes before it and none after it, case-ignorable code points between allowed.
bool
ends_a_word(const byte* begin, const byte* at, std::size_t length, const byte* end) noexcept
{
    bool preceded = false;
    for (const byte* p = at; p > begin;)
        if (const auto kind = classify(decode_before(begin, p)); kind != neighbour::pass_over)
        {
            preceded = kind == neighbour::cased;
            break;
        }
    if (!preceded)
        return false;
    for (const byte* p = at + length; p < end;)
    {
        std::size_t step;
        const char32_t c = decode(p, end, step);
        if (c == invalid) // the text is refused as a whole further on
            return true;
        if (const auto kind = classify(c); kind != neighbour::pass_over)
            return kind != neighbour::cased;
        p += step;
    }
    return true;
}

// The lower case of one code point, at `p` in `[begin, end)`, written at `out`.
inline char*
lower_one(char32_t c, const byte* begin, const byte* p, std::size_t length, const byte* end, const bmp_table& table,
          char* out) noexcept
{
    if (c == capital_sigma)
        return encode(ends_a_word(begin, p, length, end) ? final_sigma : small_sigma, out);
    if (c == capital_i_with_dot) // the one code point whose lower case is two
        return encode(0x307, encode('i', out));
    if (c < table.size())
        return encode(table[c], out);
    return encode(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), out);
}

// The bytes before the first with its high bit set, of a word that has one, in memory order.
inline std::size_t
ascii_bytes_before(std::uint64_t high) noexcept
{
    if constexpr (std::endian::native == std::endian::little)
        return static_cast<std::size_t>(std::countr_zero(high)) / 8;
    else
        return static_cast<std::size_t>(std::countl_zero(high)) / 8;
}

// The first `count` (1 to 8) bytes of `word` in memory order, the others zero (an ASCII NUL each).
inline std::uint64_t
first_bytes(std::uint64_t word, std::size_t count) noexcept
{
    if constexpr (std::endian::native == std::endian::little)
        return word & (~std::uint64_t{0} >> (64 - 8 * count));
    else
        return word & (~std::uint64_t{0} << (64 - 8 * count));
}

// A two-byte sequence at `p` (Latin, Greek, Cyrillic, Armenian...) whose lower case is two
// bytes too, written at `o`: most letters of those scripts, without the general decoder.
// False, writing nothing, for anything else (capital sigma and U+0130 among them).
inline bool
lower_two_bytes(const byte* p, const byte* end, const bmp_table& table, char*& o) noexcept
{
    if (p[0] < 0xC2 || p[0] > 0xDF || end - p < 2 || (p[1] & 0xC0) != 0x80)
        return false;
    const char32_t c = (static_cast<char32_t>(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    const char32_t lower = table[c];
    if (c == capital_sigma || lower < 0x80 || lower >= 0x800)
        return false;
    o[0] = static_cast<char>(0xC0 | (lower >> 6));
    o[1] = static_cast<char>(0x80 | (lower & 0x3F));
    o += 2;
    return true;
}

} // namespace

std::size_t
lower_code_points(std::string_view text, char* out, bool& valid) noexcept
{
    const auto* const begin = reinterpret_cast<const byte*>(text.data());
    const auto* const end = begin + text.size();
    const bmp_table& table = bmp_lower();
    char* o = out;
    for (const byte* p = begin; p < end;)
    {
        // ASCII eight bytes at a time: a whole word, or the bytes before its first that is
        // not (all eight written, the rest overwritten next: `out` has room for them).
        if (end - p >= 8)
        {
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            const std::uint64_t high = word & high_bits;
            const std::size_t ascii = high == 0 ? 8 : ascii_bytes_before(high);
            if (ascii > 0)
            {
                word = lower_ascii_word(first_bytes(word, ascii));
                std::memcpy(o, &word, 8);
                p += ascii, o += ascii;
                continue;
            }
        }
        else if (*p < 0x80)
        {
            *o++ = lower_ascii_char(static_cast<char>(*p));
            ++p;
            continue;
        }
        if (lower_two_bytes(p, end, table, o))
        {
            p += 2;
            continue;
        }
        std::size_t length;
        const char32_t c = decode(p, end, length);
        if (c == invalid)
        {
            valid = false;
            return 0;
        }
        o = lower_one(c, begin, p, length, end, table, o);
        p += length;
    }
    valid = true;
    return static_cast<std::size_t>(o - out);
}

} // namespace poetry::detail
