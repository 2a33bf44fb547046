#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nb::webhook::auth {

enum class Scheme { none, github, standard_webhooks, stripe, token };

// The `auth` widget's choices, in descriptor order (indexed by Scheme).
inline constexpr const char *kSchemeNames[] = {"none", "github", "standard-webhooks", "stripe",
                                               "token"};
inline constexpr std::uint32_t kSchemeCount = sizeof kSchemeNames / sizeof kSchemeNames[0];

std::optional<Scheme> parse_scheme(std::string_view name) noexcept;
const char *scheme_name(Scheme scheme) noexcept;

// The HMAC key (or token) `scheme` uses for `secret`: the secret's bytes,
// except for standard-webhooks, whose secret is "whsec_" (optional, as in
// the reference libraries) + base64 of the key. nullopt with `error` (which
// never quotes the secret) when the secret is empty or unusable.
std::optional<std::string> signing_key(Scheme scheme, std::string_view secret,
                                       std::string &error);

}  // namespace nb::webhook::auth
