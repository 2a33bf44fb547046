#pragma once

#include <string_view>

namespace nb {

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace nb
