#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nb::webhook::auth {

// The `secret` widget's value: the text itself, or for "env:NAME" the
// environment variable NAME, read now (when the workflow is loaded). nullopt
// with `error` naming the variable when it is unset or not a valid name; the
// error never holds a secret. `widget` names what the text is for in errors
// (tls_key's path resolves the same way).
std::optional<std::string> resolve_secret(std::string_view text, std::string &error,
                                          std::string_view widget = "secret");

// True for "env:..." references, which are not secret and may be shown.
bool is_env_reference(std::string_view text) noexcept;

}  // namespace nb::webhook::auth
