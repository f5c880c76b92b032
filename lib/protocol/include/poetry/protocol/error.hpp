// The suite's own failure reasons, as an error_code category.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace poetry {

using boost::system::error_code;

enum class errc
{
    // Address parsing.
    empty_address = 1, // the address text is empty
    bad_port,          // the port is not an integer from 0 to 65535
    bad_address,       // an unbalanced bracket or a bare IPv6 address

    // Netstring decoding.
    netstring_bad_length,   // a byte other than a digit or ':' in the length
    netstring_empty_length, // ':' with no digits before it
    netstring_leading_zero, // a length such as "01"
    netstring_too_long,     // the declared length exceeds the configured maximum
    netstring_no_comma,     // the byte after the payload is not ','
    netstring_truncated,    // the peer closed before the netstring was complete

    // Transform requests.
    no_transform_name, // the payload has no '.' separating name and poem
    unknown_transform, // no transform has that name
    invalid_utf8,      // the poem is not valid UTF-8
    transform_failed,  // the transform itself failed (or was made to fail)

    // Connections.
    idle_timeout,        // connected, then no progress for longer than the idle timeout
    connect_timeout,     // not connected within the idle timeout
    write_timeout,       // a write made no progress for longer than allowed
    poem_too_large,      // more bytes arrived than the configured maximum
    empty_poem,          // the server closed without sending a byte
    no_reply,            // the transform server closed without answering
    downloads_too_large, // the downloads together passed the client's total budget
    download_timeout,    // a download was not complete within its deadline

    // Server resources.
    request_timeout,        // a request was not complete within its deadline
    buffer_budget_exceeded, // holding the request would pass the server's budget for buffered bytes
    out_of_memory,          // an allocation for this connection failed

    // Poem files.
    not_a_regular_file,  // a FIFO, a device, a socket: nothing a poem can be read from once
    poem_file_too_large, // larger than a poem file may be (largest_poem_file)

    // Address parsing, again.
    no_host_before_colon, // ":10002": a colon with nothing before it
};

const boost::system::error_category& poetry_category() noexcept;

inline error_code
make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), poetry_category()};
}

} // namespace poetry

template <>
struct boost::system::is_error_code_enum<poetry::errc> : std::true_type
{
};
