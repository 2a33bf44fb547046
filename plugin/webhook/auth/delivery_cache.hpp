#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace nb::webhook::auth {

// Delivery ids accepted within the last `window_s` seconds, so a sender's
// retry of an accepted delivery does not run twice. Bounded: ids are kept as
// their SHA-256 (32 bytes whatever the header's length), and past `capacity`
// the oldest is forgotten first. Thread-safe.
class DeliveryCache {
public:
    static constexpr std::size_t kDefaultCapacity = 10000;

    // One delivery's hold on its id while it is offered to the host. Dropped
    // without accept() it settles as refused: a retry of it must run then.
    class Claim {
    public:
        Claim(DeliveryCache &cache, std::string key, std::int64_t now)
            : cache_(&cache), key_(std::move(key)), now_(now) {}
        Claim(Claim &&other) noexcept
            : cache_(std::exchange(other.cache_, nullptr)), key_(std::move(other.key_)),
              now_(other.now_), accepted_(other.accepted_) {}
        Claim(const Claim &) = delete;
        Claim &operator=(const Claim &) = delete;
        Claim &operator=(Claim &&) = delete;
        ~Claim() {
            if (cache_) cache_->settle(key_, accepted_, now_);
        }

        // The host accepted the delivery: its id is remembered.
        void accept() noexcept { accepted_ = true; }

    private:
        DeliveryCache *cache_;  // null once moved from
        std::string key_;
        std::int64_t now_;
        bool accepted_ = false;
    };

    // What claim found: the id free and now claimed, accepted before
    // (duplicate), or held by a delivery still being offered (busy).
    enum class Outcome { claimed, duplicate, busy };
    struct Attempt {
        Outcome outcome;
        std::optional<Claim> claim;  // with claimed
    };

    explicit DeliveryCache(std::int64_t window_s, std::size_t capacity = kDefaultCapacity)
        : window_s_(window_s), capacity_(capacity) {}

    // Never waits: a delivery whose id another one holds is told busy at
    // once (its sender retries), since the holder may be inside a trigger
    // for as long as the host takes, and the caller is an event loop.
    Attempt claim(std::string_view id, std::int64_t now);

    std::size_t size();

private:
    void settle(const std::string &key, bool accepted, std::int64_t now) noexcept;
    void evict(std::int64_t now);  // mutex_ held

    const std::int64_t window_s_;
    const std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_set<std::string> claimed_;  // id digests being offered
    std::unordered_map<std::string, std::int64_t> accepted_;  // id digest -> when
    std::deque<std::pair<std::string, std::int64_t>> order_;  // oldest first
};

}  // namespace nb::webhook::auth
