#include "header_redaction.hpp"

#include <string>

namespace nb::host {

bool is_secret_header(std::string_view name) {
    std::string lower(name);
    for (char &c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    for (const char *whole : {"authorization", "proxy-authorization", "cookie"}) {
        if (lower == whole) return true;
    }
    for (const char *part : {"signature", "token", "secret", "api-key", "apikey", "hmac", "password"}) {
        if (lower.find(part) != std::string::npos) return true;
    }
    return false;
}

}  // namespace nb::host
