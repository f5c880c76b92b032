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

BOOST_AUTO_TEST_SUITE_END()
