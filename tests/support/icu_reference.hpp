// The reference our lower-casing is checked against: ICU's full mapping, called directly.
#pragma once

#include <string>
#include <string_view>

namespace poetry::test {

/// `valid_utf8` lower-cased by ICU alone (ucasemap_utf8ToLower, root locale): no shortcut
/// of ours on the way. Throws std::runtime_error if ICU fails.
std::string icu_reference_lower(std::string_view valid_utf8);

} // namespace poetry::test
