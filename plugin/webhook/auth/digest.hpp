#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace nb::webhook::auth {

// Raw 32-byte SHA-256 of `data`.
std::string sha256(std::string_view data);

// Raw 32-byte HMAC-SHA256 under `key` of the concatenated `parts` (so signed
// content like "{id}.{timestamp}.{body}" needs no copy of the body).
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

}  // namespace nb::webhook::auth
