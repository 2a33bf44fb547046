#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nb::webhook::auth {

// The bytes of standard base64 (padding required); nullopt if malformed.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace nb::webhook::auth
