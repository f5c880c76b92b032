// The reference our lower-casing is checked against: ICU, called directly.
#pragma once

#include <string>
#include <string_view>

namespace poetry::test {

/// `valid_utf8` lower-cased by ICU alone (ucasemap_utf8ToLower, root locale): no shortcut
/// of ours on the way. Throws std::runtime_error if ICU fails.
std::string icu_reference_lower(std::string_view valid_utf8);

/// Whether ICU's strict conversion (u_strFromUTF8) takes `text` as well-formed UTF-8: no
/// overlong forms, no surrogates, nothing above U+10FFFF, as Python's strict decoder.
bool icu_reference_is_valid_utf8(std::string_view text);

} // namespace poetry::test
