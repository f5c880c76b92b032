// The transform server's reply built in place: in a buffer kept from an earlier reply, or
// grown once past what the poem's ASCII took, and always paid for by its share.
#include "protocols/transform_reply.hpp"

#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

using poetry::errc;
using poetry::error_code;
using poetry::detail::built_reply;
using poetry::detail::transform_reply;

namespace {

// `text` `times` over.
std::string
repeated(std::string_view text, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += text;
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(transform_reply_)

BOOST_AUTO_TEST_CASE(reply_is_built_in_a_kept_buffer_with_nothing_of_the_last_one)
{
    auto budget = std::make_shared<poetry::byte_budget>(8'000'000);
    error_code ec;
    const char* memory = nullptr;
    {
        const std::string poem = std::string(200'000, 'Q') + "\xCE\xA3";
        built_reply reply = transform_reply("cummingsify." + poem, poetry::budgeted_buffer(budget), ec);
        BOOST_TEST_REQUIRE(!ec);
        memory = reply.buffer().bytes().data();
        reply.recycle();
    }
    BOOST_TEST(budget->kept() > 200'000u);

    // A shorter reply in the same memory: exactly its own bytes, none of the last reply's.
    const std::string poem = std::string(150'000, 'Z') + "\xCE\xA3"; // ...Σ
    built_reply reply = transform_reply("cummingsify." + poem, poetry::budgeted_buffer(budget), ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(static_cast<const void*>(reply.buffer().bytes().data()) == static_cast<const void*>(memory));
    BOOST_TEST((reply.bytes() == poetry::netstring_encode(std::string(150'000, 'z') + "\xCF\x82"))); // ...ς
    BOOST_TEST(budget->kept() == 0u);
    BOOST_TEST(budget->in_use() == reply.buffer().paid());
}

// U+023A, two bytes, lowers to U+2C65, three: the reply outgrows the room the request's
// size gave it, grows once, and its share pays for all it holds.
BOOST_AUTO_TEST_CASE(a_reply_longer_than_its_request_grows_once_and_is_paid_for)
{
    auto budget = std::make_shared<poetry::byte_budget>(8'000'000);
    const std::string poem = std::string(100'000, 'A') + repeated("\u023A", 1000);
    error_code ec;
    built_reply reply = transform_reply("cummingsify." + poem, poetry::budgeted_buffer(budget), ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST((reply.bytes() == poetry::netstring_encode(std::string(100'000, 'a') + repeated("\u2C65", 1000))));
    BOOST_TEST(reply.buffer().paid() >= reply.buffer().capacity());
    BOOST_TEST(budget->in_use() == reply.buffer().paid());
}

// The room to grow into is paid for first: when the budget cannot pay (and has no
// overdraft), the reply is refused, and everything its share took goes back.
BOOST_AUTO_TEST_CASE(a_reply_the_budget_cannot_grow_is_refused_and_gives_everything_back)
{
    // 106,008 bytes for the request's size fit; the 109,016 the rest may need do not.
    auto budget = std::make_shared<poetry::byte_budget>(108'000);
    const std::string poem = std::string(100'000, 'A') + repeated("\u023A", 3000);
    error_code ec;
    {
        const built_reply reply = transform_reply("cummingsify." + poem, poetry::budgeted_buffer(budget), ec);
        BOOST_TEST(reply.bytes().empty());
    }
    BOOST_TEST(ec == make_error_code(errc::buffer_budget_exceeded));
    BOOST_TEST(budget->in_use() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
