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
    const auto lower_into = [&](std::string& out, UErrorCode& status) {
        status = U_ZERO_ERROR;
        return ucasemap_utf8ToLower(map.get(), out.data(), static_cast<int32_t>(out.size()), valid_utf8.data(),
                                    static_cast<int32_t>(valid_utf8.size()), &status);
    };
    // One call for the usual text, into twice its size; ICU says how much more an unusual one needs.
    std::string lowered(2 * valid_utf8.size() + 16, '\0');
    UErrorCode status;
    int32_t length = lower_into(lowered, status);
    if (status == U_BUFFER_OVERFLOW_ERROR)
    {
        lowered.resize(static_cast<std::size_t>(length));
        length = lower_into(lowered, status);
    }
    if (U_FAILURE(status))
        throw std::runtime_error(std::string("ucasemap_utf8ToLower: ") + u_errorName(status));
    lowered.resize(static_cast<std::size_t>(length));
    return lowered;
}

bool
icu_reference_is_valid_utf8(std::string_view text)
{
    // Asked with no room, ICU still reads every byte: an overflow means the text converted
    // (and a warning, such as no room for a terminator, is a success).
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u_strFromUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
    return status == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(status);
}

} // namespace poetry::test
