#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "listeners/route_target.hpp"

namespace nb::webhook {

// Exact path -> node for one port. Read by every request, written by start
// and stop: a shared mutex keeps lookups concurrent.
class RouteTable {
public:
    // Adds `target` under its path. Returns the target already holding that
    // path (nothing added), or nullptr on success.
    std::shared_ptr<const RouteTarget> add(std::shared_ptr<RouteTarget> target);

    // Removes `target`; once this returns, acquire never yields it again.
    // Returns true when the table is empty afterwards.
    bool remove(const RouteTarget &target);

    // The id of some node routed here ("" if none), to name it in errors.
    std::string any_node_id() const;

    // The target for exactly `path`, counted in flight; nullopt if none.
    std::optional<InFlightTicket> acquire(std::string_view path) const;

private:
    mutable std::shared_mutex mutex_;
    std::map<std::string, std::shared_ptr<RouteTarget>, std::less<>> routes_;
};

}  // namespace nb::webhook
