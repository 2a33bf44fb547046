#include "timestamp_window.hpp"

#include "integer.hpp"

namespace nb::webhook::auth {

std::optional<std::int64_t> parse_unix_seconds(std::string_view text) noexcept {
    if (text.size() > 18) return std::nullopt;
    return parse_integer(text, Sign::unsigned_only);
}

Failure outside_window(std::string_view what, std::int64_t timestamp,
                                          std::int64_t now, std::int64_t tolerance_s) {
    if (timestamp < now - tolerance_s) {
        return Rejection(std::string(what) + " is too old: more than " +
                             std::to_string(tolerance_s) +
                             " s before the server's time (a replay, or a clock out of sync)",
                         true);
    }
    if (timestamp > now + tolerance_s) {
        return Rejection(std::string(what) + " is in the future: more than " +
                             std::to_string(tolerance_s) + " s after the server's time",
                         true);
    }
    return std::nullopt;
}

}  // namespace nb::webhook::auth
