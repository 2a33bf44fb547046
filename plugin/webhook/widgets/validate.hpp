#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nb::webhook {

// A decimal integer in [min, max], the whole text and nothing else (no sign
// but '-', no spaces, no fraction). On failure `error` says
// "<widget> must be an integer in <min>–<max>, got <text>".
std::optional<std::int64_t> parse_integer_widget(std::string_view widget, std::string_view text,
                                                 std::int64_t min, std::int64_t max,
                                                 std::string &error);

// A webhook path: starts with '/', valid UTF-8, no whitespace or control
// characters, no '?' or '#' (those would never match a request path).
bool is_valid_webhook_path(std::string_view path, std::string &error);

}  // namespace nb::webhook
