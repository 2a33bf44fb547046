#pragma once

// Addresses and address lists for the auth tests, parsed or the test fails.

#include <doctest/doctest.h>

#include <string>

#include "auth/ip_list.hpp"

namespace nb::webhook::auth {

inline IpBytes ip(const std::string &text) {
    const auto parsed = parse_ip_literal(text);
    REQUIRE_MESSAGE(parsed, text);
    return *parsed;
}

// `text` as widget `widget` takes it.
inline IpList ip_list(const char *widget, const char *text) {
    std::string error;
    auto list = IpList::parse(widget, text, error);
    REQUIRE_MESSAGE(list, error);
    return std::move(*list);
}

}  // namespace nb::webhook::auth
