// Whatever bytes a client sends as a request, the server-side step must not
// crash, and a successful cummingsify must give valid UTF-8.
#include "poetry/protocol/case_mapping.hpp"
#include "poetry/protocol/transforms.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view payload(reinterpret_cast<const char*>(data), size);
    poetry::error_code ec;
    const std::string reply = poetry::apply_transform_request(payload, ec);
    if (!ec && !poetry::is_valid_utf8(reply))
        std::abort();

    // The poem alone: valid UTF-8 is always accepted, invalid always refused.
    const std::string lowered = poetry::unicode_lower(payload, ec);
    if (poetry::is_valid_utf8(payload) == static_cast<bool>(ec))
        std::abort();
    if (poetry::is_ascii(payload) && lowered.size() != payload.size())
        std::abort();
    return 0;
}
