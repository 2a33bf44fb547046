#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nb {

// Whether a '-' may lead the digits.
enum class Sign { unsigned_only, allowed };

// A decimal integer that is the whole text and nothing else: digits, a '-'
// first when `sign` allows it; no '+', spaces, separators, fraction or hex,
// and within int64. The one integer parser of the project (widgets, framing,
// timestamps, options), so that none of them takes " 12", "+12" or "0x1a"
// where another refuses it.
std::optional<std::int64_t> parse_integer(std::string_view text,
                                          Sign sign = Sign::allowed) noexcept;

}  // namespace nb
