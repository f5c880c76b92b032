#include "poetry/protocol/address.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using poetry::address;
using poetry::errc;

namespace {

struct address_case
{
    const char* name;
    const char* text;
    address expected;
    errc error; // {} when the text is valid
};

const std::vector<address_case> cases{
    {"port only", "10002", {"127.0.0.1", 10002}, {}},
    {"host and port", "localhost:10002", {"localhost", 10002}, {}},
    {"IPv4 and port", "192.0.2.1:80", {"192.0.2.1", 80}, {}},
    {"bracketed IPv6", "[::1]:10002", {"::1", 10002}, {}},
    {"full IPv6", "[2001:db8::7]:1", {"2001:db8::7", 1}, {}},
    {"highest port", "65535", {"127.0.0.1", 65535}, {}},
    {"port zero parses", "0", {"127.0.0.1", 0}, {}},
    {"empty", "", {}, errc::empty_address},
    {"port not an integer", "abc", {}, errc::bad_port},
    {"port with letters", "10002x", {}, errc::bad_port},
    {"negative port", "-1", {}, errc::bad_port},
    {"port too large", "65536", {}, errc::bad_port},
    {"port far too large", "99999999999999999999", {}, errc::bad_port},
    {"empty port after host", "localhost:", {}, errc::bad_port},
    {"plus sign", "+80", {}, errc::bad_port},
    {"bare IPv6", "::1:80", {}, errc::bad_address},
    {"empty host", ":80", {}, errc::no_host_before_colon},
    {"unclosed bracket", "[::1:80", {}, errc::bad_address},
    {"bracket without port", "[::1]", {}, errc::bad_address},
    {"empty brackets", "[]:80", {}, errc::bad_address},
    {"bracket inside brackets", "[[]:80", {}, errc::bad_address},
    {"bracket in a host name", "a]b:80", {}, errc::bad_address},
};

} // namespace

BOOST_AUTO_TEST_SUITE(address_)

BOOST_AUTO_TEST_CASE(table)
{
    for (const auto& tc : cases)
    {
        BOOST_TEST_CONTEXT(tc.name)
        {
            poetry::error_code ec;
            const address parsed = poetry::parse_address(tc.text, ec);
            if (tc.error != errc{})
                BOOST_TEST(ec == make_error_code(tc.error), ec.message());
            else
            {
                BOOST_TEST(!ec, ec.message());
                BOOST_TEST(parsed.host == tc.expected.host);
                BOOST_TEST(parsed.port == tc.expected.port);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(to_string_parses_back)
{
    for (const address& a : {address{"127.0.0.1", 10002}, address{"::1", 80}, address{"example.org", 1}})
    {
        poetry::error_code ec;
        BOOST_TEST((poetry::parse_address(poetry::to_string(a), ec) == a));
        BOOST_TEST(!ec);
    }
    BOOST_TEST(poetry::to_string({"::1", 80}) == "[::1]:80");
}

BOOST_AUTO_TEST_CASE(default_host_is_used)
{
    poetry::error_code ec;
    BOOST_TEST(poetry::parse_address("7", ec, "localhost").host == "localhost");
}

BOOST_AUTO_TEST_SUITE_END()
