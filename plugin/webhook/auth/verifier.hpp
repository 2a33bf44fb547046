#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scheme.hpp"
#include "signed_request.hpp"

namespace nb::webhook::auth {

// One node's sender check, frozen at start: a scheme and its key.
class Verifier {
public:
    Verifier(Scheme scheme, std::string key, std::int64_t tolerance_s)
        : scheme_(scheme), key_(std::move(key)), tolerance_s_(tolerance_s) {}

    // nullopt when the request comes from the sender (always, for none).
    Failure verify(const net::HeaderFields &headers, std::string_view body,
                   std::int64_t now) const;

private:
    Scheme scheme_;
    std::string key_;
    std::int64_t tolerance_s_;
};

}  // namespace nb::webhook::auth
