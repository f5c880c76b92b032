// Netstrings ("12:hello world!,"): a pure, incremental codec with no I/O.
#pragma once

#include "poetry/memory/budgeted_buffer.hpp"
#include "poetry/protocol/error.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace poetry {

/// Our transform server's default cap: real poems of any reasonable size fit (the
/// original's netstring reader refuses payloads longer than 99,999 bytes).
inline constexpr std::size_t default_max_netstring_length = 16 * 1024 * 1024;

/// "LEN:" for a payload of `length` bytes: send it, the payload, then ','.
std::string netstring_header(std::size_t length);

/// The whole netstring for `payload`.
std::string netstring_encode(std::string_view payload);

/** Decodes one netstring from bytes that arrive in pieces.

    Feed it whatever has been read; it consumes what belongs to the
    netstring and says whether it needs more, has the payload, or has seen
    an error. The declared length is checked against the maximum as each
    digit arrives, so an oversized request is refused at once. Memory follows
    the bytes that arrive, never the declared length: the payload is written
    into the budgeted buffer the decoder is given, whose capacity is at most
    twice what has arrived (at least 4 KiB) and never more than the declared
    length; or it is a buffer the budget kept for reuse, already paid for, of
    at most twice the declared length.
*/
class netstring_decoder
{
public:
    enum class status
    {
        need_more, // everything offered was consumed; feed more
        done,      // payload() holds the payload; bytes after ',' were left
        error,     // error() says why; the stream cannot be resynchronised
    };

    struct result
    {
        status state;
        std::size_t consumed; // bytes of the input that belonged to the netstring
    };

    /// The payload is written into `payload`: growth that its budget cannot pay for is the
    /// error `errc::buffer_budget_exceeded`, an allocation that fails is `errc::out_of_memory`.
    explicit netstring_decoder(std::size_t max_length = default_max_netstring_length, budgeted_buffer payload = {});

    /// Consume bytes of `input`. After `done` or `error`, consumes nothing.
    result feed(std::string_view input);

    /// Tell the decoder the peer closed: an unfinished netstring becomes an error.
    status finish();

    /** Where payload bytes can be read to directly, with no copy through a buffer: the
        payload's spare room (grown first, as feed() grows it, when there is none), at
        most the bytes the netstring still declares. Empty outside the payload, and when
        the room could not be grown (state() is then `error`, error() says why). The
        bytes read there count once commit_payload() says how many.
    */
    std::span<char> payload_room();

    /// `n` bytes, at most payload_room().size(), were written at payload_room()'s start.
    void commit_payload(std::size_t n);

    status state() const noexcept { return state_; }

    /// Whether any byte has been fed yet: a peer that closes before that sent nothing at all.
    bool started() const noexcept { return started_; }
    error_code error() const noexcept { return error_; }

    /// The declared length, once the ':' has been read.
    std::size_t declared_length() const noexcept { return length_; }

    /// The payload; whole once state() is `done` (before that, only bytes that arrived are its).
    const std::string& payload() const noexcept { return payload_.bytes(); }

    /// The memory the payload holds now, in bytes.
    std::size_t buffered_bytes() const noexcept { return payload_.capacity(); }

    /// The buffer the payload is in, for its holder to take, recycle or free.
    budgeted_buffer& payload_buffer() noexcept { return payload_; }

private:
    enum class phase
    {
        length,
        payload,
        comma,
        finished,
    };

    result fail(errc why, std::size_t consumed);
    bool grow_or_fail(std::size_t more);
    void filled(std::size_t more);

    std::size_t max_length_;
    std::size_t max_digits_;
    std::size_t digits_ = 0;
    std::size_t length_ = 0;
    phase phase_ = phase::length;
    status state_ = status::need_more;
    error_code error_;
    budgeted_buffer payload_; // its first filled_ bytes have arrived; room after them, until done
    std::size_t filled_ = 0;
    bool started_ = false;
};

} // namespace poetry
