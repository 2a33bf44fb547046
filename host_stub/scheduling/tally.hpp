#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace nb::host {

// A share of a shared total (a job's bytes against --queue-bytes, an event
// owed its run): added when taken, given back on release() or when dropped,
// whichever comes first. It moves with its owner.
class Tally {
public:
    Tally() = default;
    Tally(std::atomic<std::uint64_t> &total, std::uint64_t amount) noexcept : total_(&total), amount_(amount) {
        total.fetch_add(amount, std::memory_order_relaxed);
    }
    Tally(Tally &&other) noexcept : total_(std::exchange(other.total_, nullptr)), amount_(other.amount_) {}
    Tally &operator=(Tally &&other) noexcept {
        if (this != &other) {
            release();
            total_ = std::exchange(other.total_, nullptr);
            amount_ = other.amount_;
        }
        return *this;
    }
    Tally(const Tally &) = delete;
    Tally &operator=(const Tally &) = delete;
    ~Tally() { release(); }

    void release() noexcept {
        if (total_) total_->fetch_sub(amount_, std::memory_order_relaxed);
        total_ = nullptr;
    }

private:
    std::atomic<std::uint64_t> *total_ = nullptr;
    std::uint64_t amount_ = 0;
};

}  // namespace nb::host
