// Whatever bytes a client sends as a request, the server-side step must not
// crash, and a successful cummingsify must give valid UTF-8.
#include "icu_reference.hpp"
#include "poetry/protocol/case_mapping.hpp"
#include "poetry/protocol/transforms.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view payload(reinterpret_cast<const char*>(data), size);
    poetry::error_code ec;
    std::string_view poem;
    if (const auto* transform = poetry::requested_transform(payload, poem, ec))
    {
        const std::string reply = transform->function(poem, ec);
        if (!ec && !poetry::test::icu_reference_is_valid_utf8(reply))
            std::abort();
    }

    // The poem alone: valid UTF-8 is always accepted, invalid always refused.
    const std::string lowered = poetry::unicode_lower(payload, ec);
    if (poetry::test::icu_reference_is_valid_utf8(payload) == static_cast<bool>(ec))
        std::abort();
    const bool ascii = std::all_of(data, data + size, [](std::uint8_t b) { return b < 0x80; });
    if (ascii && lowered.size() != payload.size())
        std::abort();
    return 0;
}
