#include "icu_reference.hpp"

#include <unicode/ucasemap.h>
#include <unicode/ustring.h>

#include <memory>
#include <stdexcept>

namespace poetry::test {

std::string
icu_reference_lower(std::string_view valid_utf8)
{
    // Opened once: the fuzzer calls this for every input.
    static const std::unique_ptr<UCaseMap, void (*)(UCaseMap*)> map = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<UCaseMap, void (*)(UCaseMap*)> opened(ucasemap_open("", 0, &status), ucasemap_close);
        if (U_FAILURE(status))
            throw std::runtime_error(std::string("ucasemap_open: ") + u_errorName(status));
        return opened;
    }();
    UErrorCode status = U_ZERO_ERROR;
    const auto size = static_cast<int32_t>(valid_utf8.size());
    // Asked with no room first, ICU says how much the whole mapping needs.
    const int32_t needed = ucasemap_utf8ToLower(map.get(), nullptr, 0, valid_utf8.data(), size, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
        throw std::runtime_error(std::string("ucasemap_utf8ToLower: ") + u_errorName(status));
    std::string lowered(static_cast<std::size_t>(needed), '\0');
    status = U_ZERO_ERROR;
    ucasemap_utf8ToLower(map.get(), lowered.data(), needed, valid_utf8.data(), size, &status);
    if (U_FAILURE(status))
        throw std::runtime_error(std::string("ucasemap_utf8ToLower: ") + u_errorName(status));
    return lowered;
}

bool
icu_reference_is_valid_utf8(std::string_view text)
{
    // Asked with no room, ICU still reads every byte: an overflow means the text converted.
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u_strFromUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
    return status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING || U_SUCCESS(status);
}

} // namespace poetry::test
