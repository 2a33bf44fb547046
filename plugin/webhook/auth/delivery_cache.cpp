#include "delivery_cache.hpp"

#include "digest.hpp"

namespace nb::webhook::auth {

bool DeliveryCache::seen(std::string_view id, std::int64_t now) {
    std::lock_guard lock(mutex_);
    evict(now);
    return accepted_.count(sha256(id)) != 0;
}

void DeliveryCache::remember(std::string_view id, std::int64_t now) {
    std::lock_guard lock(mutex_);
    std::string key = sha256(id);
    accepted_[key] = now;
    order_.emplace_back(std::move(key), now);
    evict(now);
}

std::size_t DeliveryCache::size() {
    std::lock_guard lock(mutex_);
    return accepted_.size();
}

void DeliveryCache::evict(std::int64_t now) {
    while (!order_.empty() &&
           (order_.size() > capacity_ || order_.front().second <= now - window_s_)) {
        const auto &[key, when] = order_.front();
        // A re-remembered id has a newer entry further on; keep that one.
        const auto it = accepted_.find(key);
        if (it != accepted_.end() && it->second == when) accepted_.erase(it);
        order_.pop_front();
    }
}

}  // namespace nb::webhook::auth
