// Differential: our lower-casing against ICU's own on arbitrary bytes. Valid UTF-8 must
// come out byte for byte as ucasemap_utf8ToLower gives it (root locale); anything else
// must be refused as invalid UTF-8, and never read or written out of bounds.
#include "poetry/protocol/case_mapping.hpp"

#include <unicode/ucasemap.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace {

std::string
icu_lower(std::string_view text)
{
    UErrorCode status = U_ZERO_ERROR;
    static const std::unique_ptr<UCaseMap, void (*)(UCaseMap*)> map(ucasemap_open("", 0, &status), ucasemap_close);
    std::string out(text.size() * 3 + 16, '\0');
    status = U_ZERO_ERROR;
    const int32_t n = ucasemap_utf8ToLower(map.get(), out.data(), static_cast<int32_t>(out.size()), text.data(),
                                           static_cast<int32_t>(text.size()), &status);
    if (U_FAILURE(status))
        std::abort();
    out.resize(static_cast<std::size_t>(n));
    return out;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    poetry::error_code ec;
    const std::string ours = poetry::unicode_lower(text, ec);
    if (!poetry::is_valid_utf8(text))
    {
        if (ec != make_error_code(poetry::errc::invalid_utf8))
            std::abort();
        return 0;
    }
    if (ec || ours != icu_lower(text) || ours.size() > poetry::lowered_size_bound(text))
        std::abort();
    return 0;
}
