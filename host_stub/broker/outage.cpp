#include "outage.hpp"

#include <algorithm>

namespace nb::host {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};

}  // namespace

std::uint64_t Outage::connected(const std::string &address) {
    std::lock_guard lock(mutex_);
    if (down_) {
        down_ = false;
        ++reconnects_;
        log_(false, "broker: Redis at " + address + " is back");
    }
    return outages_;
}

void Outage::lost(std::uint64_t seen, const std::string &address, const std::string &why) {
    std::lock_guard lock(mutex_);
    // A link older than the last outage told broke in that one.
    if (down_ || seen < outages_) return;
    down_ = true;
    ++outages_;
    problem_ = "Redis at " + address + " is unreachable: " + why;
    log_(true, "broker: lost Redis at " + address + " (" + why + "); reconnecting");
}

std::string Outage::problem() const {
    std::lock_guard lock(mutex_);
    return down_ ? problem_ : std::string();
}

std::uint64_t Outage::reconnects() const {
    std::lock_guard lock(mutex_);
    return reconnects_;
}

LinkKeeper::LinkKeeper(const LinkSettings &settings, Outage &outage, Setup setup)
    : settings_(settings), outage_(outage), setup_(std::move(setup)) {}

void LinkKeeper::connect_now() {
    auto link = std::make_unique<RedisLink>(settings_.url, settings_.reply_timeout);
    if (setup_) setup_(*link);
    link_ = std::move(link);
    seen_ = outage_.connected(link_->address());
    backoff_ = std::chrono::milliseconds(0);
}

RedisLink *LinkKeeper::get() {
    if (link_) return link_.get();
    const auto now = std::chrono::steady_clock::now();
    if (now < next_attempt_) return nullptr;
    try {
        connect_now();
        return link_.get();
    } catch (const BrokerError &e) {
        lost(e);
        return nullptr;
    }
}

void LinkKeeper::lost(const BrokerError &e) {
    link_.reset();
    outage_.lost(seen_, settings_.url.address(), e.what());
    backoff_ = std::min(backoff_.count() == 0 ? kFirstBackoff : backoff_ * 2, settings_.reconnect_max);
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
}

}  // namespace nb::host
