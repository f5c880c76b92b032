#include "poetry/transforms.hpp"

#include "poetry/case_mapping.hpp"

#include <array>
#include <utility>

namespace poetry {

std::string
cummingsify(std::string_view poem, error_code& ec)
{
    return unicode_lower(poem, ec);
}

namespace {

// Adding a transform is adding one row.
constexpr std::array<std::pair<std::string_view, transform_function>, 1> registry{{
    {"cummingsify", &cummingsify},
}};

} // namespace

transform_function
find_transform(std::string_view name) noexcept
{
    for (const auto& [known, function] : registry)
        if (known == name)
            return function;
    return nullptr;
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

std::string
apply_transform_request(std::string_view payload, error_code& ec)
{
    const transform_request request = parse_transform_request(payload, ec);
    if (ec)
        return {};
    const transform_function transform = find_transform(request.name);
    if (!transform)
    {
        ec = errc::unknown_transform;
        return {};
    }
    return transform(request.poem, ec);
}

} // namespace poetry
