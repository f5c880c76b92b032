#include "poetry/protocol/case_mapping.hpp"

#include "utf8.hpp"

namespace poetry {

using detail::byte;

bool
is_ascii(std::string_view text) noexcept
{
    const auto* p = reinterpret_cast<const byte*>(text.data());
    return detail::ascii_run(p, p + text.size()) == text.size();
}

bool
is_valid_utf8(std::string_view text) noexcept
{
    const auto* p = reinterpret_cast<const byte*>(text.data());
    const auto* const end = p + text.size();
    while ((p += detail::ascii_run(p, end)) < end)
    {
        std::size_t length;
        if (detail::decode(p, end, length) == detail::invalid_sequence)
            return false;
        p += length;
    }
    return true;
}

} // namespace poetry
