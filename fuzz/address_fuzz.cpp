// Address parsing never crashes, and whatever it accepts prints back to itself.
#include "poetry/protocol/address.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    poetry::error_code ec;
    const poetry::address parsed = poetry::parse_address(text, ec);
    if (ec)
        return 0;
    poetry::error_code again_ec;
    const poetry::address again = poetry::parse_address(poetry::to_string(parsed), again_ec);
    if (again_ec || !(again == parsed))
        std::abort();
    return 0;
}
