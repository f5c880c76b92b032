#include "icu_reference.hpp"
#include "poetry/protocol/case_mapping.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

using poetry::errc;
using poetry::error_code;
using poetry::test::icu_reference_is_valid_utf8;
using poetry::test::icu_reference_lower;

namespace {

std::string
read_data_file(const std::string& name)
{
    std::ifstream in(std::string(POETRY_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "cannot open test data " << name);
    return {std::istreambuf_iterator<char>(in), {}};
}

// `c` as UTF-8.
std::string
utf8(char32_t c)
{
    std::string out;
    if (c < 0x80)
        out += static_cast<char>(c);
    else if (c < 0x800)
        out += {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    else if (c < 0x10000)
        out += {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                static_cast<char>(0x80 | (c & 0x3F))};
    else
        out += {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    return out;
}

// Every Unicode scalar value: every code point but the surrogates.
std::vector<char32_t>
every_scalar_value()
{
    std::vector<char32_t> all;
    for (char32_t c = 0; c <= 0x10FFFF; ++c)
        if (c < 0xD800 || c > 0xDFFF)
            all.push_back(c);
    return all;
}

// Lower-case `pattern` with each code point put in for every '@', ours against ICU's: one
// text holding every code point's instance, each ended by a space (neither cased nor
// case-ignorable: no context crosses it). Names the first code points that differ.
void
check_against_icu_in(const std::string& pattern)
{
    std::string text;
    for (const char32_t c : every_scalar_value())
    {
        for (const char p : pattern)
            text += p == '@' ? utf8(c) : std::string(1, p);
        text += ' ';
    }
    error_code ec;
    const std::string ours = poetry::unicode_lower(text, ec);
    BOOST_TEST_REQUIRE(!ec);
    if (ours == icu_reference_lower(text))
        return;
    int named = 0;
    for (const char32_t c : every_scalar_value())
    {
        std::string one;
        for (const char p : pattern)
            one += p == '@' ? utf8(c) : std::string(1, p);
        if (poetry::unicode_lower(one, ec) != icu_reference_lower(one) && ++named <= 10)
            BOOST_ERROR("U+" << std::hex << static_cast<unsigned>(c) << " in '" << pattern << "' differs from ICU");
    }
    BOOST_TEST(named > 0, "the whole text differs from ICU, yet no code point alone does");
}

} // namespace

BOOST_AUTO_TEST_SUITE(case_mapping_)

// Exactness proven, not sampled: every code point alone, ours against ICU's full mapping.
BOOST_AUTO_TEST_CASE(every_code_point_alone_is_lowered_as_icu_does)
{
    check_against_icu_in("@");
}

// ASCII is lowered eight bytes at a time up to the first byte that is not: every code
// point after every count of capitals that can come before it within a word.
BOOST_AUTO_TEST_CASE(every_code_point_after_ascii_is_lowered_as_icu_does)
{
    for (const char* pattern : {"A@", "AB@", "ABC@", "ABCD@", "ABCDE@", "ABCDEF@", "ABCDEFG@", "ABCDEFGH@"})
        BOOST_TEST_CONTEXT(pattern)
        {
            check_against_icu_in(pattern);
        }
}

// Final sigma depends on its neighbours: every code point before it and after it, across
// it from a cased letter, and at a text's end.
BOOST_AUTO_TEST_CASE(sigma_beside_every_code_point_is_lowered_as_icu_does)
{
    for (const char* pattern :
         {"A@\u03A3", "@\u03A3A", "\u03A3@", "A\u03A3@", "A@\u03A3@", "@\u03A3@A", "A@@\u03A3@@b", "\u03A3@\u03A3"})
        BOOST_TEST_CONTEXT(pattern)
        {
            check_against_icu_in(pattern);
        }
    // At the very end of the text, with nothing after it to look at.
    for (const std::string text : {"A\u03A3", "A'\u03A3", "A\u0301\u03A3", "\u03A3", "1\u03A3", "A\u03A3'"})
    {
        error_code ec;
        BOOST_TEST(poetry::unicode_lower(text, ec) == icu_reference_lower(text));
    }
}

// What most_lowered_size promises: no code point's lower case is longer than half as
// much again.
BOOST_AUTO_TEST_CASE(no_code_point_grows_past_the_bound)
{
    for (const char32_t c : every_scalar_value())
    {
        const std::string one = utf8(c);
        error_code ec;
        const std::string lowered = poetry::unicode_lower(one, ec);
        if (lowered.size() > one.size() + one.size() / 2 || ec)
            BOOST_ERROR("U+" << std::hex << static_cast<unsigned>(c) << " lowers past the bound");
    }
}

// The expected text was produced once by Python 3.11's str.lower() and committed.
BOOST_AUTO_TEST_CASE(matches_python_str_lower)
{
    const std::string input = read_data_file("unicode-parity.txt");
    const std::string expected = read_data_file("unicode-parity.lower.txt");
    error_code ec;
    const std::string lowered = poetry::unicode_lower(input, ec);
    BOOST_TEST(!ec);
    BOOST_TEST_REQUIRE(lowered.size() == expected.size());
    // Line by line, so that a failure names the script that differs.
    std::size_t start = 0;
    while (start < expected.size())
    {
        const std::size_t end = expected.find('\n', start);
        const std::size_t length = (end == std::string::npos ? expected.size() : end) - start;
        BOOST_TEST(lowered.substr(start, length) == expected.substr(start, length));
        start += length + 1;
    }
}

BOOST_AUTO_TEST_CASE(special_mappings)
{
    struct case_
    {
        const char* name;
        std::string input;
        std::string expected;
    };
    const std::vector<case_> cases{
        {"dotted capital I becomes two code points", "\u0130", "i\u0307"},
        {"final sigma at the end of a word", "\u039F\u0394\u039F\u03A3", "\u03BF\u03B4\u03BF\u03C2"},
        {"sigma inside a word", "\u03A3\u039F\u03A6\u039F\u03A3 ", "\u03C3\u03BF\u03C6\u03BF\u03C2 "},
        {"lone sigma is not final", "\u03A3", "\u03C3"},
        {"final sigma after ASCII letter", "A\u03A3", "a\u03C2"},
        {"capital sharp s", "\u1E9E", "\u00DF"},
        {"deseret, outside the BMP", "\U00010400", "\U00010428"},
        {"empty", "", ""},
    };
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            error_code ec;
            BOOST_TEST(poetry::unicode_lower(tc.input, ec) == tc.expected);
            BOOST_TEST(!ec);
        }
    }
}

BOOST_AUTO_TEST_CASE(ascii_fast_path_equals_icu_path)
{
    std::string every_ascii;
    for (int c = 0; c < 128; ++c)
        every_ascii.push_back(static_cast<char>(c));
    error_code ec;
    const std::string fast = poetry::unicode_lower(every_ascii, ec);
    const std::string icu = icu_reference_lower(every_ascii);
    BOOST_TEST(!ec);
    BOOST_TEST(fast == icu);
    // The letters' neighbours ('@' before 'A', '[' after 'Z', '`' and '{' around 'a'..'z') stay.
    BOOST_TEST(poetry::unicode_lower("HELLO, World! 123 @[`{", ec) == "hello, world! 123 @[`{");
}

BOOST_AUTO_TEST_CASE(ascii_fast_path_agrees_with_icu_at_every_offset_and_length)
{
    // ASCII is lowered eight bytes at a time: every byte value at every offset within a
    // word, texts of every length around a word, and a non-ASCII byte anywhere, where the
    // pass leaves its eight-byte steps.
    std::string every_ascii;
    for (int c = 0; c < 128; ++c)
        every_ascii.push_back(static_cast<char>(c));
    for (std::size_t shift = 0; shift < 8; ++shift)
        for (std::size_t length = 0; length <= 24; ++length)
        {
            const std::string text = (every_ascii + every_ascii).substr(shift * 17 % 128, 128 + length);
            error_code ec;
            BOOST_TEST(poetry::unicode_lower(text, ec) == icu_reference_lower(text));
            BOOST_TEST(!ec);
            for (const std::size_t at : {std::size_t{0}, length / 2, text.size() - 1})
            {
                std::string marked = text;
                marked.replace(at, 1, "\xC3\x89"); // É
                BOOST_TEST(poetry::unicode_lower(marked, ec) == icu_reference_lower(marked));
                BOOST_TEST(!ec);
            }
        }
}

// unicode_lower_some's contract: ASCII text fits a buffer as long as itself, in one call;
// any text stopped short, wherever that is, goes on after one growth to most_lowered_size
// and ends as unicode_lower would have; nothing is written past the buffer given.
BOOST_AUTO_TEST_CASE(lowering_stopped_short_goes_on_where_it_stopped)
{
    const std::string ascii = "THE HARBOUR LIGHTS COME ON AT SIX";
    std::string out(ascii.size(), '#');
    error_code ec;
    const auto whole = poetry::unicode_lower_some(ascii, {}, out, ec);
    BOOST_TEST(!ec);
    BOOST_TEST(whole.read == ascii.size());
    BOOST_TEST(out.substr(0, whole.written) == "the harbour lights come on at six");

    const std::vector<std::string> texts{
        "\u0130STANBUL \u0130\u0130\u0130 ABCDEFGH\u0130",                  // each two bytes become three
        "ODYSSEY \u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3, \u03A3", // final and middle sigma
        "\u023A\u023A\u023A\u023A\u023A\u023A\u023A\u023A\u023A",           // two bytes become three, no ASCII between
        "ABCDEFGHIJ\U00010400\U00010401 KLMNOP\u00C9",                      // four-byte letters among ASCII
    };
    constexpr std::size_t guard = 16;
    for (const std::string& text : texts)
        BOOST_TEST_CONTEXT(text)
        {
            const std::string expected = icu_reference_lower(text);
            for (std::size_t first_room = 0; first_room <= text.size(); ++first_room)
            {
                std::string buffer(first_room + guard, '#');
                auto done = poetry::unicode_lower_some(text, {}, std::span(buffer.data(), first_room), ec);
                BOOST_TEST_REQUIRE(!ec);
                BOOST_TEST(buffer.substr(first_room) == std::string(guard, '#'));
                const std::size_t room = done.written + poetry::most_lowered_size(text.size() - done.read);
                buffer.resize(room + guard, '#');
                std::fill(buffer.begin() + static_cast<std::ptrdiff_t>(room), buffer.end(), '#');
                done = poetry::unicode_lower_some(text, done, std::span(buffer.data(), room), ec);
                BOOST_TEST_REQUIRE(!ec);
                BOOST_TEST(done.read == text.size());
                BOOST_TEST(buffer.substr(0, done.written) == expected, "first room " << first_room);
                BOOST_TEST(buffer.substr(room) == std::string(guard, '#'));
            }
        }
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused)
{
    struct case_
    {
        const char* name;
        std::string input;
    };
    const std::vector<case_> cases{
        {"lone continuation byte", "abc\x80"},         {"truncated two-byte sequence", "\xC3"},
        {"truncated three-byte sequence", "\xE2\x82"}, {"overlong slash", "\xC0\xAF"},
        {"overlong three-byte", "\xE0\x80\xAF"},       {"overlong four-byte", "\xF0\x80\x80\xAF"},
        {"UTF-16 surrogate", "\xED\xA0\x80"},          {"above U+10FFFF", "\xF4\x90\x80\x80"},
        {"F5 lead byte", "\xF5\x80\x80\x80"},          {"FF byte", "A\xFF"},
        {"bad second continuation", "\xE2\x82\x41"},
    };
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            BOOST_TEST(!icu_reference_is_valid_utf8(tc.input)); // the case is what it says
            error_code ec;
            BOOST_TEST(poetry::unicode_lower(tc.input, ec).empty());
            BOOST_TEST(ec == make_error_code(errc::invalid_utf8));
        }
    }
}

BOOST_AUTO_TEST_CASE(valid_utf8_edges_are_accepted)
{
    for (const std::string text : {"\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                                   "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"})
    {
        BOOST_TEST_REQUIRE(icu_reference_is_valid_utf8(text));
        error_code ec;
        BOOST_TEST(poetry::unicode_lower(text, ec) == icu_reference_lower(text));
        BOOST_TEST(!ec);
    }
}

// ASCII is passed over eight bytes at a time: a capital beyond ASCII at any offset of a
// run, in the first word, between two, or in the tail after the last, is still lowered.
BOOST_AUTO_TEST_CASE(a_capital_beyond_ascii_is_found_at_every_offset_of_an_ascii_run)
{
    const std::string run(37, 'A');
    for (std::size_t i = 0; i <= run.size(); ++i)
    {
        const std::string text = run.substr(0, i) + "\xC3\x89" + run.substr(i); // U+00C9, É
        error_code ec;
        BOOST_TEST(poetry::unicode_lower(text, ec) ==
                   std::string(i, 'a') + "\xC3\xA9" + std::string(run.size() - i, 'a'));
        BOOST_TEST(!ec);
    }
}

BOOST_AUTO_TEST_SUITE_END()
