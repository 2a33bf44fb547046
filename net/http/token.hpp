#pragma once

#include <string_view>

namespace nb::net {

namespace detail {

// tchar as a table: the check runs over every header name of every request.
struct TcharTable {
    bool is[256] = {};
    constexpr TcharTable() {
        for (int c = '0'; c <= '9'; ++c) is[c] = true;
        for (int c = 'a'; c <= 'z'; ++c) is[c] = true;
        for (int c = 'A'; c <= 'Z'; ++c) is[c] = true;
        for (const char c : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'}) {
            is[static_cast<unsigned char>(c)] = true;
        }
    }
};
inline constexpr TcharTable kTchar{};

}  // namespace detail

// RFC 9110 5.6.2: tchar, the bytes of a token (a method, a field name).
inline bool is_tchar(unsigned char c) noexcept { return detail::kTchar.is[c]; }

// A token: one or more tchar. The one check for both what a request sends
// and what a reply may carry, so the two never disagree on a name.
inline bool is_token(std::string_view text) noexcept {
    for (const char c : text) {
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    }
    return !text.empty();
}

}  // namespace nb::net
