#include "token.hpp"

namespace nb::net {

bool is_tchar(unsigned char c) noexcept {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool is_token(std::string_view text) noexcept {
    for (const char c : text) {
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    }
    return !text.empty();
}

}  // namespace nb::net
