#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <vector>

using poetry::default_max_netstring_length;
using poetry::errc;
using poetry::netstring_decoder;
using status = netstring_decoder::status;

namespace {

struct decode_case
{
    const char* name;
    std::string input;
    std::size_t max_length;
    status expected;
    std::string payload;  // when done
    errc error;           // when error
    std::size_t consumed; // bytes that belonged to the netstring
};

const std::vector<decode_case> cases{
    {"simple", "12:hello world!,", 100, status::done, "hello world!", {}, 16},
    {"empty payload", "0:,", 100, status::done, "", {}, 3},
    {"request from the tutorial",
     "27:cummingsify.HERE IS MY POEM,",
     100,
     status::done,
     "cummingsify.HERE IS MY POEM",
     {},
     31},
    {"bytes after the comma are left", "3:abc,extra", 100, status::done, "abc", {}, 6},
    {"payload may hold colons and commas", "5:a:,b,,", 100, status::done, "a:,b,", {}, 8},
    {"binary payload", std::string("3:\0\xff\n,", 6), 100, status::done, std::string("\0\xff\n", 3), {}, 6},
    {"exactly the maximum", "5:abcde,", 5, status::done, "abcde", {}, 8},
    {"only digits so far", "12", 100, status::need_more, "", {}, 2},
    {"payload cut short", "5:ab", 100, status::need_more, "", {}, 4},
    {"comma not yet arrived", "2:ab", 100, status::need_more, "", {}, 4},
    {"non-digit in length", "1x:a,", 100, status::error, "", errc::netstring_bad_length, 2},
    {"sign in length", "-1:a,", 100, status::error, "", errc::netstring_bad_length, 1},
    {"space before length", " 1:a,", 100, status::error, "", errc::netstring_bad_length, 1},
    {"empty length", ":abc,", 100, status::error, "", errc::netstring_empty_length, 1},
    {"leading zero", "01:a,", 100, status::error, "", errc::netstring_leading_zero, 2},
    {"two zeros", "00:,", 100, status::error, "", errc::netstring_leading_zero, 2},
    {"length over the maximum", "6:abcdef,", 5, status::error, "", errc::netstring_too_long, 1},
    {"over the maximum is refused before the colon", "100", 99, status::error, "", errc::netstring_too_long, 3},
    {"more digits than any allowed size", "123456789:", 16 * 1024 * 1024, status::error, "", errc::netstring_too_long,
     9},
    {"huge length", "99999999999999999999999999:", 16 * 1024 * 1024, status::error, "", errc::netstring_too_long, 8},
    {"wrong byte where the comma belongs", "3:abcd", 100, status::error, "", errc::netstring_no_comma, 6},
    {"newline instead of comma", "1:a\n", 100, status::error, "", errc::netstring_no_comma, 4},
};

} // namespace

BOOST_AUTO_TEST_SUITE(netstring_decoder_)

BOOST_AUTO_TEST_CASE(table_whole_input)
{
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            netstring_decoder decoder(tc.max_length);
            const auto result = decoder.feed(tc.input);
            BOOST_TEST(static_cast<int>(result.state) == static_cast<int>(tc.expected));
            BOOST_TEST(result.consumed == tc.consumed);
            if (tc.expected == status::done)
                BOOST_TEST(decoder.payload() == tc.payload);
            if (tc.expected == status::error)
                BOOST_TEST(decoder.error() == make_error_code(tc.error));
        }
    }
}

BOOST_AUTO_TEST_CASE(table_one_byte_at_a_time)
{
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            netstring_decoder decoder(tc.max_length);
            std::size_t consumed = 0;
            for (char c : tc.input)
            {
                consumed += decoder.feed(std::string_view(&c, 1)).consumed;
                if (decoder.state() != status::need_more)
                    break;
            }
            BOOST_TEST(static_cast<int>(decoder.state()) == static_cast<int>(tc.expected));
            BOOST_TEST(consumed == tc.consumed);
            if (tc.expected == status::done)
                BOOST_TEST(decoder.payload() == tc.payload);
        }
    }
}

BOOST_AUTO_TEST_CASE(started_tells_silence_from_a_cut_netstring)
{
    // A transform client needs it: a peer that closes before a byte is a refusal.
    netstring_decoder silent;
    silent.feed("");
    silent.finish();
    BOOST_TEST(!silent.started());
    BOOST_TEST((silent.error() == make_error_code(errc::netstring_truncated)));

    netstring_decoder cut;
    cut.feed("5:ab");
    cut.finish();
    BOOST_TEST(cut.started());
    BOOST_TEST((cut.error() == make_error_code(errc::netstring_truncated)));
}

BOOST_AUTO_TEST_CASE(oversized_length_reserves_nothing)
{
    netstring_decoder decoder(1000);
    decoder.feed("1001");
    BOOST_TEST(decoder.error() == make_error_code(errc::netstring_too_long));
    BOOST_TEST(decoder.payload().capacity() < 1000u);
}

BOOST_AUTO_TEST_CASE(declared_length_is_not_an_allocation)
{
    // A peer that declares 16 MiB and sends nothing more costs no payload memory.
    netstring_decoder decoder(default_max_netstring_length);
    decoder.feed("16777216:");
    BOOST_TEST(decoder.declared_length() == 16777216u);
    BOOST_TEST(decoder.buffered_bytes() <= 4096u);
}

BOOST_AUTO_TEST_CASE(memory_grows_with_the_bytes_that_arrive)
{
    netstring_decoder decoder(1'000'000);
    decoder.feed("1000000:");
    const std::string piece(1000, 'p');
    std::size_t arrived = 0;
    while (arrived < 1'000'000)
    {
        decoder.feed(piece);
        arrived += piece.size();
        BOOST_TEST_CONTEXT(arrived << " bytes arrived")
        {
            BOOST_TEST(decoder.buffered_bytes() >= arrived);
            BOOST_TEST(decoder.buffered_bytes() <= std::max<std::size_t>(2 * arrived, 4096));
            BOOST_TEST(decoder.buffered_bytes() <= 1'000'000u, "never more than the declared length");
        }
        if (decoder.buffered_bytes() > std::max<std::size_t>(2 * arrived, 4096))
            break; // one failure says it all
    }
    decoder.feed(",");
    BOOST_TEST(static_cast<int>(decoder.state()) == static_cast<int>(status::done));
    BOOST_TEST(decoder.payload().size() == 1'000'000u);
}

// What a reader does with payload_room(): write at most `piece` bytes of `from` there.
std::size_t
read_into_room(netstring_decoder& decoder, std::string_view from, std::size_t piece)
{
    const std::span<char> room = decoder.payload_room();
    const std::size_t n = std::min({room.size(), from.size(), piece});
    std::copy_n(from.data(), n, room.data());
    decoder.commit_payload(n);
    return n;
}

BOOST_AUTO_TEST_CASE(payload_read_into_its_room_is_the_payload_fed)
{
    std::string payload(100'000, 'r');
    for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<char>('a' + i % 26);
    netstring_decoder decoder(1'000'000);
    BOOST_TEST(decoder.payload_room().empty(), "no room before the length is read");
    decoder.feed("100000:");
    std::size_t arrived = 0;
    while (arrived < payload.size())
    {
        const std::size_t n = read_into_room(decoder, std::string_view(payload).substr(arrived), 3000);
        BOOST_TEST_REQUIRE(n > 0u);
        arrived += n;
        BOOST_TEST(decoder.buffered_bytes() <= std::max<std::size_t>(2 * arrived, 4096));
    }
    BOOST_TEST(decoder.payload_room().empty(), "no room past the declared length");
    decoder.feed(",");
    BOOST_TEST(static_cast<int>(decoder.state()) == static_cast<int>(status::done));
    BOOST_TEST((decoder.payload() == payload));
}

BOOST_AUTO_TEST_CASE(room_and_feed_mix)
{
    // Reads through the room and through a buffer, in turns, as a reader with a small buffer does.
    netstring_decoder decoder(100);
    decoder.feed("10:abc");
    read_into_room(decoder, "defg", 4);
    decoder.feed("hij,");
    BOOST_TEST(static_cast<int>(decoder.state()) == static_cast<int>(status::done));
    BOOST_TEST(decoder.payload() == "abcdefghij");
}

BOOST_AUTO_TEST_CASE(room_the_budget_cannot_pay_for_is_an_error)
{
    auto budget = std::make_shared<poetry::byte_budget>(10'000);
    netstring_decoder decoder(1'000'000, poetry::budgeted_buffer(budget));
    decoder.feed("100000:");
    const std::string piece(4096, 'x');
    while (decoder.state() == status::need_more)
        read_into_room(decoder, piece, piece.size());
    BOOST_TEST(decoder.error() == make_error_code(errc::buffer_budget_exceeded));
    BOOST_TEST(decoder.payload_room().empty());
    BOOST_TEST(budget->in_use() == 0u, "the failed netstring gave its share back");
}

BOOST_AUTO_TEST_CASE(finish_turns_unfinished_into_truncated)
{
    netstring_decoder cut(100);
    cut.feed("5:ab");
    BOOST_TEST(static_cast<int>(cut.finish()) == static_cast<int>(status::error));
    BOOST_TEST(cut.error() == make_error_code(errc::netstring_truncated));

    netstring_decoder whole(100);
    whole.feed("2:ab,");
    BOOST_TEST(static_cast<int>(whole.finish()) == static_cast<int>(status::done));
}

BOOST_AUTO_TEST_CASE(feed_after_done_consumes_nothing)
{
    netstring_decoder decoder(100);
    decoder.feed("1:a,");
    BOOST_TEST(decoder.feed("2:bc,").consumed == 0u);
    BOOST_TEST(decoder.payload() == "a");
}

BOOST_AUTO_TEST_CASE(encode_round_trips)
{
    BOOST_TEST(poetry::netstring_encode("hello world!") == "12:hello world!,");
    BOOST_TEST(poetry::netstring_encode("") == "0:,");
    BOOST_TEST(poetry::netstring_header(27) == "27:");
    const std::string payload(70000, 'x');
    netstring_decoder decoder(100000);
    decoder.feed(poetry::netstring_encode(payload));
    BOOST_TEST(decoder.payload() == payload);
}

BOOST_AUTO_TEST_SUITE_END()
