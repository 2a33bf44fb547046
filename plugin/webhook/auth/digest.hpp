#pragma once

#include <initializer_list>
#include <string_view>

#include <Poco/DigestEngine.h>

namespace nb::webhook::auth {

// Digests as Poco gives them, so they compare with
// Poco::DigestEngine::constantTimeEquals without a conversion.
using Digest = Poco::DigestEngine::Digest;

// Raw 32-byte SHA-256 of `data`.
Digest sha256(std::string_view data);

// Raw 32-byte HMAC-SHA256 under `key` of the concatenated `parts` (so signed
// content like "{id}.{timestamp}.{body}" needs no copy of the body).
Digest hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

}  // namespace nb::webhook::auth
