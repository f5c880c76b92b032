// The incremental netstring decoder against a plain reference parser, with the
// input cut into pieces at places the fuzzer chooses.
#include "poetry/protocol/netstring.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

namespace {

using status = poetry::netstring_decoder::status;

struct reference_result
{
    status state;
    std::string payload;
    std::size_t consumed = 0;
};

// Whole-input parse, written as plainly as possible.
reference_result
reference_parse(std::string_view in, std::size_t max_length)
{
    const std::size_t max_digits = std::to_string(max_length).size();
    std::size_t digits = 0;
    while (digits < in.size() && in[digits] >= '0' && in[digits] <= '9')
        ++digits;
    if (digits > 1 && in[0] == '0')
        return {status::error, {}};
    if (digits > max_digits)
        return {status::error, {}};
    std::size_t length = 0;
    for (std::size_t i = 0; i < digits; ++i)
        length = length * 10 + static_cast<std::size_t>(in[i] - '0');
    if (length > max_length)
        return {status::error, {}};
    if (digits == in.size())
        return {status::need_more, {}};
    if (in[digits] != ':' || digits == 0)
        return {status::error, {}};
    const std::size_t start = digits + 1;
    if (in.size() < start + length + 1)
        return {status::need_more, {}};
    if (in[start + length] != ',')
        return {status::error, {}};
    return {status::done, std::string(in.substr(start, length)), start + length + 1};
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    // The first byte picks the maximum length, the second the size of the pieces and,
    // with its high bit, whether payload bytes go through payload_room() as a reader's do.
    const std::size_t max_length = data[0] % 4 == 0 ? 99'999 : data[0];
    const std::size_t piece = 1 + data[1] % 16;
    const bool through_room = (data[1] & 0x80) != 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);

    poetry::netstring_decoder decoder(max_length);
    std::size_t consumed = 0;
    for (std::size_t at = 0; at < input.size() && decoder.state() == status::need_more;)
    {
        const auto piece_view = input.substr(at, piece);
        if (const std::span<char> room = through_room ? decoder.payload_room() : std::span<char>(); !room.empty())
        {
            const std::size_t n = std::min(room.size(), piece_view.size());
            std::copy_n(piece_view.data(), n, room.data());
            decoder.commit_payload(n);
            consumed += n;
            at += n;
            continue;
        }
        const auto result = decoder.feed(piece_view);
        if (result.consumed > piece_view.size())
            std::abort();
        consumed += result.consumed;
        at += piece_view.size();
    }

    const reference_result expected = reference_parse(input, max_length);
    if (decoder.state() != expected.state)
        std::abort();
    if (expected.state == status::done && (decoder.payload() != expected.payload || consumed != expected.consumed))
        std::abort();
    if (decoder.payload().size() > max_length || decoder.payload().capacity() > max_length + 64)
        std::abort();
    // Memory follows the bytes that arrived, never the declared length.
    if (decoder.buffered_bytes() > std::max<std::size_t>(2 * decoder.payload().size(), 4096))
        std::abort();
    return 0;
}
