#include "delivery_cache.hpp"

#include "digest.hpp"

namespace nb::webhook::auth {

DeliveryCache::Attempt DeliveryCache::claim(std::string_view id, std::int64_t now) {
    const Digest digest = sha256(id);
    std::string key(digest.begin(), digest.end());
    std::lock_guard lock(mutex_);
    evict(now);
    if (accepted_.count(key) != 0) return {Outcome::duplicate, std::nullopt};
    if (!claimed_.insert(key).second) return {Outcome::busy, std::nullopt};
    return {Outcome::claimed, std::optional<Claim>(std::in_place, *this, std::move(key), now)};
}

void DeliveryCache::settle(const std::string &key, bool accepted, std::int64_t now) noexcept {
    std::lock_guard lock(mutex_);
    claimed_.erase(key);
    if (!accepted) return;
    try {
        accepted_[key] = now;
        order_.emplace_back(key, now);
        evict(now);
    } catch (...) {
        // Out of memory: the id is not remembered, and a retry runs again.
        accepted_.erase(key);
    }
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
