// What cummingsify makes of an ASCII poem, for tests that check a transformed poem
// byte for byte (the parity test covers the rest of Unicode).
#pragma once

#include <string>

namespace poetry::test {

inline std::string
lower_ascii(std::string text)
{
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

} // namespace poetry::test
