#include "poetry/protocol/address.hpp"

#include <charconv>

namespace poetry {

std::uint16_t
parse_port(std::string_view text, error_code& ec)
{
    ec = {};
    unsigned value = 0;
    const char* first = text.data();
    const char* last = first + text.size();
    // from_chars takes no sign or spaces, but accepts any number of digits.
    auto [end, err] = std::from_chars(first, last, value);
    if (text.empty() || err != std::errc{} || end != last || value > 65535)
    {
        ec = errc::bad_port;
        return 0;
    }
    return static_cast<std::uint16_t>(value);
}

address
parse_address(std::string_view text, error_code& ec, std::string_view default_host)
{
    ec = {};
    if (text.empty())
    {
        ec = errc::empty_address;
        return {};
    }

    std::string_view host = default_host;
    std::string_view port = text;

    if (text.front() == '[')
    {
        // "[v6]:port": the colon must follow the closing bracket.
        auto close = text.find(']');
        if (close == std::string_view::npos || close == 1 || close + 1 >= text.size() || text[close + 1] != ':')
        {
            ec = errc::bad_address;
            return {};
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    }
    else if (auto colon = text.find(':'); colon != std::string_view::npos)
    {
        // More than one colon without brackets is an IPv6 literal we cannot split.
        if (text.find(':', colon + 1) != std::string_view::npos)
        {
            ec = errc::bad_address;
            return {};
        }
        if (colon == 0)
        {
            ec = errc::no_host_before_colon;
            return {};
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }

    // Brackets belong around an IPv6 host, never inside one.
    if (host.find_first_of("[]") != std::string_view::npos)
    {
        ec = errc::bad_address;
        return {};
    }
    address result{std::string(host), parse_port(port, ec)};
    if (ec)
        return {};
    return result;
}

std::string
to_string(const address& a)
{
    std::string out;
    if (a.host.find(':') != std::string::npos)
        out.append("[").append(a.host).append("]");
    else
        out.append(a.host);
    out.append(":").append(std::to_string(a.port));
    return out;
}

} // namespace poetry
