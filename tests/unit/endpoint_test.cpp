// Endpoints in words, as every message of the suite names them.
#include "poetry/io/endpoint.hpp"

#include <boost/test/unit_test.hpp>

using poetry::tcp;

BOOST_AUTO_TEST_SUITE(endpoint)

BOOST_AUTO_TEST_CASE(an_ipv4_endpoint_is_host_colon_port)
{
    const tcp::endpoint e(boost::asio::ip::make_address("127.0.0.1"), 10001);
    BOOST_TEST(poetry::to_string(e) == "127.0.0.1:10001");
}

BOOST_AUTO_TEST_CASE(an_ipv6_host_is_bracketed_so_that_its_colons_stay_apart_from_the_port)
{
    BOOST_TEST(poetry::to_string(tcp::endpoint(boost::asio::ip::make_address("::1"), 10000)) == "[::1]:10000");
    BOOST_TEST(poetry::to_string(tcp::endpoint(boost::asio::ip::make_address("fe80::1"), 1)) == "[fe80::1]:1");
}

BOOST_AUTO_TEST_CASE(the_lowest_and_highest_ports_are_written_whole)
{
    const auto any = boost::asio::ip::make_address("0.0.0.0");
    BOOST_TEST(poetry::to_string(tcp::endpoint(any, 0)) == "0.0.0.0:0");
    BOOST_TEST(poetry::to_string(tcp::endpoint(any, 65535)) == "0.0.0.0:65535");
}

BOOST_AUTO_TEST_SUITE_END()
