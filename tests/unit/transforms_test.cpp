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
    BOOST_TEST_REQUIRE(poetry::find_transform("cummingsify"));
    BOOST_TEST(poetry::find_transform("cummingsify")->function == &poetry::cummingsify);
    BOOST_TEST(poetry::find_transform("Cummingsify") == nullptr);
    BOOST_TEST(poetry::find_transform("") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_request_names_its_transform_and_its_poem)
{
    error_code ec;
    std::string_view poem;
    const poetry::transform_entry* transform = poetry::requested_transform("cummingsify.HERE IS.MY POEM", poem, ec);
    BOOST_TEST_REQUIRE(transform == poetry::find_transform("cummingsify"));
    BOOST_TEST(poem == "HERE IS.MY POEM");
    BOOST_TEST(transform->function(poem, ec) == "here is.my poem");
    BOOST_TEST(!ec);

    BOOST_TEST(poetry::requested_transform("shout.HERE IS MY POEM", poem, ec) == nullptr);
    BOOST_TEST(ec == make_error_code(errc::unknown_transform));

    BOOST_TEST(poetry::requested_transform("no dot at all", poem, ec) == nullptr);
    BOOST_TEST(ec == make_error_code(errc::no_transform_name));

    transform = poetry::requested_transform("cummingsify.\xff", poem, ec);
    BOOST_TEST_REQUIRE(transform != nullptr);
    transform->function(poem, ec);
    BOOST_TEST(ec == make_error_code(errc::invalid_utf8));
}

BOOST_AUTO_TEST_SUITE_END()
