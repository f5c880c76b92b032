#include "poetry/protocol/transforms.hpp"

#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

using poetry::errc;
using poetry::error_code;

BOOST_AUTO_TEST_SUITE(transforms_)

BOOST_AUTO_TEST_CASE(request_splits_at_first_dot)
{
    error_code ec;
    const auto request = poetry::parse_transform_request("cummingsify.A poem. With dots.", ec);
    BOOST_TEST(!ec);
    BOOST_TEST(request.name == "cummingsify");
    BOOST_TEST(request.poem == "A poem. With dots.");

    const auto empty = poetry::parse_transform_request("cummingsify.", ec);
    BOOST_TEST(!ec);
    BOOST_TEST(empty.poem.empty());
}

BOOST_AUTO_TEST_CASE(request_without_dot_is_refused)
{
    error_code ec;
    poetry::parse_transform_request("cummingsify", ec);
    BOOST_TEST(ec == make_error_code(errc::no_transform_name));
}

BOOST_AUTO_TEST_CASE(registry_knows_cummingsify_only)
{
    BOOST_TEST(poetry::find_transform("cummingsify") == &poetry::cummingsify);
    BOOST_TEST(poetry::find_transform("Cummingsify") == nullptr);
    BOOST_TEST(poetry::find_transform("") == nullptr);
}

BOOST_AUTO_TEST_CASE(apply_runs_the_named_transform)
{
    error_code ec;
    BOOST_TEST(poetry::apply_transform_request("cummingsify.HERE IS MY POEM", ec) == "here is my poem");
    BOOST_TEST(!ec);

    poetry::apply_transform_request("shout.HERE IS MY POEM", ec);
    BOOST_TEST(ec == make_error_code(errc::unknown_transform));

    poetry::apply_transform_request("cummingsify.\xff", ec);
    BOOST_TEST(ec == make_error_code(errc::invalid_utf8));
}

BOOST_AUTO_TEST_CASE(reply_is_built_in_a_kept_buffer_with_nothing_of_the_last_one)
{
    auto budget = std::make_shared<poetry::byte_budget>(8'000'000);
    error_code ec;
    const char* memory = nullptr;
    {
        poetry::budget_lease share(budget);
        const std::string poem = std::string(200'000, 'Q') + "\xCE\xA3";
        poetry::built_reply reply = poetry::transform_reply("cummingsify." + poem, share, ec);
        BOOST_TEST_REQUIRE(!ec);
        memory = reply.buffer().data();
        share.release_for_reuse(reply.buffer());
    }
    BOOST_TEST(budget->kept() > 200'000u);

    // A shorter reply in the same memory: exactly its own bytes, none of the last reply's.
    poetry::budget_lease share(budget);
    const std::string poem = std::string(150'000, 'Z') + "\xCE\xA3"; // ...Σ
    poetry::built_reply reply = poetry::transform_reply("cummingsify." + poem, share, ec);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(static_cast<const void*>(reply.buffer().data()) == static_cast<const void*>(memory));
    BOOST_TEST((reply.bytes() == poetry::netstring_encode(std::string(150'000, 'z') + "\xCF\x82"))); // ...ς
    BOOST_TEST(budget->kept() == 0u);
    BOOST_TEST(budget->in_use() == share.held());
}

BOOST_AUTO_TEST_SUITE_END()
