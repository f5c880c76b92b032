// Differential: our lower-casing against ICU's own on arbitrary bytes. Valid UTF-8 must
// come out byte for byte as ucasemap_utf8ToLower gives it (root locale); anything else
// must be refused as invalid UTF-8, and never read or written out of bounds; and lowering
// stopped short at any room (the input's last byte picks it) goes on to the same bytes.
#include "icu_reference.hpp"
#include "poetry/protocol/case_mapping.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    poetry::error_code ec;
    const std::string ours = poetry::unicode_lower(text, ec);
    if (!poetry::test::icu_reference_is_valid_utf8(text))
    {
        if (ec != make_error_code(poetry::errc::invalid_utf8))
            std::abort();
        return 0;
    }
    if (ec || ours != poetry::test::icu_reference_lower(text) || ours.size() > text.size() + text.size() / 2)
        std::abort();

    // Each buffer exactly as long as its room, so that a write past it is caught.
    const std::size_t first_room = size > 0 ? data[size - 1] % (size + 1) : 0;
    auto first = std::make_unique<char[]>(first_room);
    auto done = poetry::unicode_lower_some(text, {}, {first.get(), first_room}, ec);
    const std::size_t room = done.written + poetry::most_lowered_size(size - done.read);
    auto second = std::make_unique<char[]>(room);
    std::copy_n(first.get(), done.written, second.get());
    done = poetry::unicode_lower_some(text, done, {second.get(), room}, ec);
    if (ec || done.read != size || std::string_view(second.get(), done.written) != ours)
        std::abort();
    return 0;
}
