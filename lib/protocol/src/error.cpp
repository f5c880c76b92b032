#include "poetry/protocol/error.hpp"

#include <string>

namespace poetry {
namespace {

class poetry_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "poetry"; }

    std::string message(int ev) const override
    {
        switch (static_cast<errc>(ev))
        {
        case errc::empty_address:
            return "empty address";
        case errc::bad_port:
            return "Ports must be integers from 0 to 65535";
        case errc::bad_address:
            return "malformed address (write IPv6 as [::1]:port)";
        case errc::no_host_before_colon:
            return "no host before ':' (write the port alone, 10002, or a host and port, localhost:10002)";
        case errc::netstring_bad_length:
            return "netstring length has a byte that is not a digit";
        case errc::netstring_empty_length:
            return "netstring length is empty";
        case errc::netstring_leading_zero:
            return "netstring length has a leading zero";
        case errc::netstring_too_long:
            return "netstring longer than the allowed maximum";
        case errc::netstring_no_comma:
            return "netstring payload not followed by ','";
        case errc::netstring_truncated:
            return "connection closed before the netstring was complete";
        case errc::no_transform_name:
            return "request has no '.' after the transform name";
        case errc::unknown_transform:
            return "unknown transform";
        case errc::invalid_utf8:
            return "poem is not valid UTF-8";
        case errc::transform_failed:
            return "transform failed";
        case errc::idle_timeout:
            return "timed out: no progress";
        case errc::connect_timeout:
            return "timed out: could not connect";
        case errc::write_timeout:
            return "timed out: peer is not reading";
        case errc::poem_too_large:
            return "poem larger than the allowed maximum";
        case errc::empty_poem:
            return "the server closed without sending a poem";
        case errc::no_reply:
            return "connection closed without a reply";
        case errc::downloads_too_large:
            return "the downloads together passed the allowed total";
        case errc::download_timeout:
            return "the download was not complete within its deadline";
        case errc::request_timeout:
            return "timed out: request not complete within its deadline";
        case errc::buffer_budget_exceeded:
            return "the server's memory for requests is full";
        case errc::out_of_memory:
            return "out of memory";
        case errc::poem_file_too_large:
            return "larger than the 4 GiB a poem file may be";
        case errc::not_a_regular_file:
            return "not a regular file";
        }
        return "unknown poetry error";
    }
};

} // namespace

const boost::system::error_category&
poetry_category() noexcept
{
    static const poetry_category_impl instance;
    return instance;
}

} // namespace poetry
