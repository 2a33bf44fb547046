#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "failure.hpp"

namespace nb::webhook::auth {

// Unix seconds written as 1 to 18 decimal digits; nullopt otherwise.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text) noexcept;

// nullopt when `timestamp` is within `tolerance_s` of `now` either way; else
// why not (a replay), naming `what` (the header that carried it).
Failure outside_window(std::string_view what, std::int64_t timestamp,
                                          std::int64_t now, std::int64_t tolerance_s);

}  // namespace nb::webhook::auth
