#pragma once

#include <utility>

#include "ip_list.hpp"

namespace nb::webhook::auth {

// The `allow_from` widget: which client addresses may reach a node.
class AllowList {
public:
    // The empty list allows everyone.
    AllowList() = default;
    explicit AllowList(IpList ranges) : ranges_(std::move(ranges)) {}

    bool allows(const IpBytes &ip) const noexcept {
        return ranges_.empty() || ranges_.contains(ip);
    }

private:
    IpList ranges_;  // empty: everyone
};

}  // namespace nb::webhook::auth
