// Lower-casing code point by code point, validating as it goes: the general path of
// unicode_lower, for text that is not all ASCII.
#pragma once

#include <cstddef>
#include <string_view>

namespace poetry::detail {

/** Lower-case `text` into `out`, which holds at least 1.5 × text.size() bytes, in one
    pass that also checks the UTF-8 as is_valid_utf8 does. Each code point takes ICU's
    own mapping, so that the result is byte for byte ucasemap_utf8ToLower's in the root
    locale: the simple mapping, but U+0130 becomes "i" and U+0307, and capital sigma
    becomes final sigma where Unicode's Final_Sigma rule says. Returns the bytes written,
    or nothing (`valid` false) at the first ill-formed sequence.
*/
std::size_t lower_code_points(std::string_view text, char* out, bool& valid) noexcept;

} // namespace poetry::detail
