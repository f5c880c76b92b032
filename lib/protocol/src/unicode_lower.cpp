// The lower-casing pass: ASCII eight bytes at a time, every other code point by ICU's own
// mapping, each byte read once and checked as UTF-8 on the way.
#include "poetry/protocol/case_mapping.hpp"

#include "utf8.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>

namespace poetry {
namespace {

using detail::byte;
using detail::decode;
using detail::encode;
using detail::high_bits;

constexpr char32_t capital_sigma = 0x3A3;
constexpr char32_t small_sigma = 0x3C3;
constexpr char32_t final_sigma = 0x3C2;
constexpr char32_t capital_i_with_dot = 0x130;

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

// Eight ASCII bytes lower-cased at once. Each sum sets a byte's high bit when the byte is
// at least 'A' (or above 'Z'); no carry crosses into the next byte, since every byte is
// below 0x80. A capital gets 0x20 added: its bit 5 set.
inline std::uint64_t
lower_ascii_word(std::uint64_t word) noexcept
{
    const std::uint64_t from_a = word + detail::every_byte * (0x80 - 'A');
    const std::uint64_t past_z = word + detail::every_byte * (0x80 - 'Z' - 1);
    const std::uint64_t capitals = from_a & ~past_z & high_bits;
    return word | (capitals >> 2);
}

inline char
lower_ascii_char(byte b) noexcept
{
    return static_cast<char>(b | ((static_cast<byte>(b - 'A') < 26) << 5));
}

// The first `count` (1 to 7) bytes of `word` in memory order, the others zero (an ASCII NUL each).
inline std::uint64_t
first_bytes(std::uint64_t word, std::size_t count) noexcept
{
    if constexpr (std::endian::native == std::endian::little)
        return word & (~std::uint64_t{0} >> (64 - 8 * count));
    else
        return word & (~std::uint64_t{0} << (64 - 8 * count));
}

// The most bytes one code point's lower case takes.
constexpr std::ptrdiff_t longest_lowered = 4;

// One lower-casing pass over one text, which Final_Sigma looks around in.
class lowering_pass
{
public:
    explicit lowering_pass(std::string_view text) noexcept
        : begin_(reinterpret_cast<const byte*>(text.data()))
        , end_(begin_ + text.size())
        , table_(bmp_lower())
    {
    }

    lowering_progress run(lowering_progress done, std::span<char> out, error_code& ec) const noexcept
    {
        const byte* p = begin_ + done.read;
        char* o = out.data() + done.written;
        char* const out_end = out.data() + out.size();
        while (p < end_)
        {
            if (*p < 0x80)
            {
                if (!lower_ascii(p, o, out_end))
                    break;
                continue;
            }
            if (out_end - o < longest_lowered)
                break;
            if (lower_two_bytes(p, o))
            {
                p += 2;
                continue;
            }
            std::size_t length;
            const char32_t c = decode(p, end_, length);
            if (c == detail::invalid_sequence)
            {
                ec = errc::invalid_utf8;
                break;
            }
            o = lower_one(c, p, length, o);
            p += length;
        }
        return {static_cast<std::size_t>(p - begin_), static_cast<std::size_t>(o - out.data())};
    }

private:
    // ASCII from `p` on: whole words in a loop of their own (the common case), then the
    // bytes of a word before its first that is not ASCII (all eight written, the rest
    // overwritten next), or a byte alone near the end of the text or of `out`, where a
    // word does not fit. False when `out` has no room for it.
    bool lower_ascii(const byte*& p, char*& o, char* out_end) const noexcept
    {
        for (const byte* const words_end = p + std::min(end_ - p, out_end - o) / 8 * 8; p < words_end;)
        {
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            if (word & high_bits)
                break;
            word = lower_ascii_word(word);
            std::memcpy(o, &word, 8);
            p += 8, o += 8;
        }
        if (end_ - p >= 8 && out_end - o >= 8)
        {
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            // The loop stopped at this word: it has a byte that is not ASCII, maybe its first.
            if (const std::size_t ascii = detail::ascii_bytes_before(word & high_bits); ascii > 0)
            {
                word = lower_ascii_word(first_bytes(word, ascii));
                std::memcpy(o, &word, 8);
                p += ascii, o += ascii;
            }
            return true;
        }
        if (p == end_ || *p >= 0x80)
            return true;
        if (o == out_end)
            return false;
        *o++ = lower_ascii_char(*p++);
        return true;
    }

    // A two-byte sequence at `p` (Latin, Greek, Cyrillic, Armenian...) whose lower case is
    // two bytes too, written at `o`: most letters of those scripts, without the general
    // decoder. False, writing nothing, for anything else (capital sigma and U+0130 among them).
    bool lower_two_bytes(const byte* p, char*& o) const noexcept
    {
        if (p[0] < 0xC2 || p[0] > 0xDF || end_ - p < 2 || (p[1] & 0xC0) != 0x80)
            return false;
        const char32_t c = (static_cast<char32_t>(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        const char32_t lower = table_[c];
        if (c == capital_sigma || lower < 0x80 || lower >= 0x800)
            return false;
        o[0] = static_cast<char>(0xC0 | (lower >> 6));
        o[1] = static_cast<char>(0x80 | (lower & 0x3F));
        o += 2;
        return true;
    }

    // The lower case of `c`, which takes `length` bytes at `at`, written at `out`.
    char* lower_one(char32_t c, const byte* at, std::size_t length, char* out) const noexcept
    {
        if (c == capital_sigma)
            return encode(ends_a_word(at, length) ? final_sigma : small_sigma, out);
        if (c == capital_i_with_dot) // the one code point whose lower case is two
            return encode(0x307, encode('i', out));
        if (c < table_.size())
            return encode(table_[c], out);
        return encode(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), out);
    }

    // Unicode's Final_Sigma (3.13): the sigma at [at, at + length) ends a word when a cased
    // letter comes before it and none after it, case-ignorable code points between allowed.
    bool ends_a_word(const byte* at, std::size_t length) const noexcept
    {
        bool preceded = false;
        for (const byte* p = at; p > begin_;)
            if (const auto kind = classify(decode_before(begin_, p)); kind != neighbour::pass_over)
            {
                preceded = kind == neighbour::cased;
                break;
            }
        if (!preceded)
            return false;
        for (const byte* p = at + length; p < end_;)
        {
            std::size_t step;
            const char32_t c = decode(p, end_, step);
            if (c == detail::invalid_sequence) // the text is refused as a whole further on
                return true;
            if (const auto kind = classify(c); kind != neighbour::pass_over)
                return kind != neighbour::cased;
            p += step;
        }
        return true;
    }

    const byte* const begin_;
    const byte* const end_;
    const bmp_table& table_;
};

} // namespace

lowering_progress
unicode_lower_some(std::string_view text, lowering_progress done, std::span<char> out, error_code& ec) noexcept
{
    assert(done.read <= text.size() && done.written <= out.size());
    ec = {};
    return lowering_pass(text).run(done, out, ec);
}

std::string
unicode_lower(std::string_view text, error_code& ec)
{
    // As long as the text first, which the lower case of ASCII fills exactly; grown once,
    // past the ASCII already lowered, when the text proves not to be.
    std::string out(text.size(), '\0');
    lowering_progress done = unicode_lower_some(text, {}, out, ec);
    if (!ec && done.read < text.size())
    {
        out.resize(done.written + most_lowered_size(text.size() - done.read));
        done = unicode_lower_some(text, done, out, ec);
        assert(ec || done.read == text.size());
    }
    if (ec)
        return {};
    out.resize(done.written);
    return out;
}

} // namespace poetry
