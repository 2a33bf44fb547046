#include "route_table.hpp"

#include <mutex>

namespace nb::webhook {

std::shared_ptr<const RouteTarget> RouteTable::add(std::shared_ptr<RouteTarget> target) {
    std::unique_lock lock(mutex_);
    const auto [it, inserted] = routes_.try_emplace(target->path, target);
    return inserted ? nullptr : it->second;
}

bool RouteTable::remove(const RouteTarget &target) {
    std::unique_lock lock(mutex_);
    const auto it = routes_.find(target.path);
    if (it != routes_.end() && it->second.get() == &target) routes_.erase(it);
    return routes_.empty();
}

std::string RouteTable::any_node_id() const {
    std::shared_lock lock(mutex_);
    return routes_.empty() ? std::string() : routes_.begin()->second->node_id;
}

std::optional<InFlightTicket> RouteTable::acquire(std::string_view path) const {
    // The ticket is taken under the lock, so remove() followed by
    // RouteTarget::wait_idle() cannot miss a request routed concurrently.
    std::shared_lock lock(mutex_);
    const auto it = routes_.find(path);
    if (it == routes_.end()) return std::nullopt;
    return std::optional<InFlightTicket>(std::in_place, it->second);
}

}  // namespace nb::webhook
