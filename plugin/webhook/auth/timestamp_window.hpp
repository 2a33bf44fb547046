#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nb::webhook::auth {

// Unix seconds written as 1 to 18 decimal digits; nullopt otherwise.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text) noexcept;

// nullopt when `timestamp` is within `tolerance_s` of `now` either way; else
// why not, naming `what` (the header that carried it).
std::optional<std::string> outside_window(std::string_view what, std::int64_t timestamp,
                                          std::int64_t now, std::int64_t tolerance_s);

}  // namespace nb::webhook::auth
