#include "secret.hpp"

#include <cstdlib>

#include "json_text.hpp"

namespace nb::webhook::auth {
namespace {

constexpr std::string_view kEnvPrefix = "env:";

bool is_env_name(std::string_view name) noexcept {
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
    for (const char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

bool is_env_reference(std::string_view text) noexcept {
    return text.substr(0, kEnvPrefix.size()) == kEnvPrefix;
}

std::optional<std::string> resolve_secret(std::string_view text, std::string &error,
                                          std::string_view widget) {
    if (!is_env_reference(text)) return std::string(text);
    const std::string_view name = text.substr(kEnvPrefix.size());
    if (!is_env_name(name)) {
        error = std::string(widget) + " env:NAME needs a variable name of letters, digits and _, got " +
                quoted_value(name);
        return std::nullopt;
    }
    const char *value = std::getenv(std::string(name).c_str());
    if (!value) {
        error = std::string(widget) + ": environment variable " + std::string(name) + " is not set";
        return std::nullopt;
    }
    return std::string(value);
}

}  // namespace nb::webhook::auth
