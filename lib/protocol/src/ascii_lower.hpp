// Lower-casing ASCII, a byte or eight at a time: shared by both lower-casing paths.
#pragma once

#include <cstdint>

namespace poetry::detail {

inline constexpr std::uint64_t every_byte = 0x0101010101010101ULL;
inline constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

/// Eight ASCII bytes lower-cased at once. Each sum sets a byte's high bit when the byte
/// is at least 'A' (or above 'Z'); no carry crosses into the next byte, since every byte
/// is below 0x80. A capital gets 0x20 added: its bit 5 set.
inline std::uint64_t
lower_ascii_word(std::uint64_t word) noexcept
{
    const std::uint64_t from_a = word + every_byte * (0x80 - 'A');
    const std::uint64_t past_z = word + every_byte * (0x80 - 'Z' - 1);
    const std::uint64_t capitals = from_a & ~past_z & high_bits;
    return word | (capitals >> 2);
}

/// One ASCII byte lower-cased; other bytes unchanged.
inline char
lower_ascii_char(char c) noexcept
{
    const auto byte = static_cast<unsigned char>(c);
    return static_cast<char>(byte | ((static_cast<unsigned char>(byte - 'A') < 26) << 5));
}

} // namespace poetry::detail
