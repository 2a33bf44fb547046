#pragma once

// Which stored request headers `nb-host journal show` hides unless asked:
// anything that may authenticate a sender or sign its body.

#include <string_view>

namespace nb::host {

// authorization, proxy-authorization, cookie, and any name that, lower-cased,
// contains signature, token, secret, api-key, apikey, hmac or password.
bool is_secret_header(std::string_view name);

constexpr const char *kRedacted = "[redacted]";

}  // namespace nb::host
