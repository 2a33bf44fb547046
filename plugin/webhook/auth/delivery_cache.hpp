#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace nb::webhook::auth {

// Delivery ids accepted within the last `window_s` seconds, so a sender's
// retry of an accepted delivery does not run twice. Bounded: ids are kept as
// their SHA-256 (32 bytes whatever the header's length), and past `capacity`
// the oldest is forgotten first. Thread-safe.
class DeliveryCache {
public:
    static constexpr std::size_t kDefaultCapacity = 10000;

    explicit DeliveryCache(std::int64_t window_s, std::size_t capacity = kDefaultCapacity)
        : window_s_(window_s), capacity_(capacity) {}

    // True when `id` was remembered less than window_s seconds before `now`.
    bool seen(std::string_view id, std::int64_t now);

    // Call only once the host accepted the delivery: a refused one (503, 500)
    // will be retried by the sender and must run then.
    void remember(std::string_view id, std::int64_t now);

    std::size_t size();

private:
    void evict(std::int64_t now);  // mutex_ held

    const std::int64_t window_s_;
    const std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> accepted_;  // id digest -> when
    std::deque<std::pair<std::string, std::int64_t>> order_;  // oldest first
};

}  // namespace nb::webhook::auth
