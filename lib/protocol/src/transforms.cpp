#include "poetry/protocol/transforms.hpp"

#include "poetry/protocol/case_mapping.hpp"

#include <array>
#include <string>
#include <utility>

namespace poetry {

std::string
cummingsify(std::string_view poem, error_code& ec)
{
    return unicode_lower(poem, ec);
}

namespace {

// Adding a transform is adding one row.
constexpr std::array<transform_entry, 1> registry{{
    {"cummingsify", &cummingsify, &unicode_lower_some, &most_lowered_size,
     "the poem in lower case, with full Unicode case mapping"},
}};

} // namespace

const transform_entry*
find_transform(std::string_view name) noexcept
{
    for (const auto& entry : registry)
        if (entry.name == name)
            return &entry;
    return nullptr;
}

std::span<const transform_entry>
offered_transforms() noexcept
{
    return registry;
}

std::string
printable_name(std::string_view name)
{
    // A stranger's bytes must not forge or garble log lines: no control characters, no UTF-8.
    constexpr std::size_t longest = 40;
    std::string out;
    for (const char c : name.substr(0, longest))
        out += (c >= ' ' && c <= '~') ? c : '?';
    if (name.size() > longest)
        out += "...";
    return out;
}

transform_request
parse_transform_request(std::string_view payload, error_code& ec) noexcept
{
    ec = {};
    const auto dot = payload.find('.');
    if (dot == std::string_view::npos)
    {
        ec = errc::no_transform_name;
        return {};
    }
    return {payload.substr(0, dot), payload.substr(dot + 1)};
}

const transform_entry*
requested_transform(std::string_view payload, std::string_view& poem, error_code& ec) noexcept
{
    const transform_request request = parse_transform_request(payload, ec);
    if (ec)
        return nullptr;
    const transform_entry* transform = find_transform(request.name);
    if (!transform)
        ec = errc::unknown_transform;
    poem = request.poem;
    return transform;
}

} // namespace poetry
