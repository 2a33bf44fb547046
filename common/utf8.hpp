#pragma once

#include <cstddef>
#include <string_view>

namespace nb {

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept;

// The first `max_chars` characters of valid UTF-8 `text` (all of it when it
// has no more): never cut inside a character's bytes.
std::string_view utf8_prefix(std::string_view text, std::size_t max_chars) noexcept;

}  // namespace nb
