#include "integer.hpp"

#include <charconv>

namespace nb {

std::optional<std::int64_t> parse_integer(std::string_view text, Sign sign) noexcept {
    if (text.empty() || (sign == Sign::unsigned_only && text.front() == '-')) return std::nullopt;
    std::int64_t value = 0;
    const char *last = text.data() + text.size();
    // from_chars takes no '+', space or prefix, and reports overflow.
    const auto [end, ec] = std::from_chars(text.data(), last, value);
    if (ec != std::errc() || end != last) return std::nullopt;
    return value;
}

}  // namespace nb
