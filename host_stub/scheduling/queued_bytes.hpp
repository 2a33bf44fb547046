#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace nb::host {

// A job's share of the bytes of events waiting to run (--queue-bytes): added
// when the job is admitted, given back when its run starts or when the job
// is dropped unrun (refused after all), whichever comes first.
class QueuedBytes {
public:
    QueuedBytes() = default;
    QueuedBytes(std::atomic<std::uint64_t> &total, std::uint64_t bytes) noexcept : total_(&total), bytes_(bytes) {
        total.fetch_add(bytes, std::memory_order_relaxed);
    }
    QueuedBytes(QueuedBytes &&other) noexcept
        : total_(std::exchange(other.total_, nullptr)), bytes_(other.bytes_) {}
    QueuedBytes &operator=(QueuedBytes &&other) noexcept {
        if (this != &other) {
            release();
            total_ = std::exchange(other.total_, nullptr);
            bytes_ = other.bytes_;
        }
        return *this;
    }
    QueuedBytes(const QueuedBytes &) = delete;
    QueuedBytes &operator=(const QueuedBytes &) = delete;
    ~QueuedBytes() { release(); }

    void release() noexcept {
        if (total_) total_->fetch_sub(bytes_, std::memory_order_relaxed);
        total_ = nullptr;
    }

private:
    std::atomic<std::uint64_t> *total_ = nullptr;
    std::uint64_t bytes_ = 0;
};

}  // namespace nb::host
