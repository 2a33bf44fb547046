#include "retry_timer.hpp"

namespace nb::host {

RetryTimer::RetryTimer(Due due) : due_(std::move(due)), thread_([this] { serve(); }) {}

RetryTimer::~RetryTimer() { close(); }

bool RetryTimer::schedule(std::chrono::steady_clock::time_point when, Job &job) {
    {
        std::lock_guard lock(mutex_);
        if (closed_) return false;
        waiting_.emplace(when, std::move(job));
    }
    changed_.notify_one();
    return true;
}

std::vector<Job> RetryTimer::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::vector<Job> left;
    for (auto &[when, job] : waiting_) left.push_back(std::move(job));
    waiting_.clear();
    return left;
}

void RetryTimer::serve() {
    std::unique_lock lock(mutex_);
    while (!closed_) {
        if (waiting_.empty()) {
            changed_.wait(lock);
            continue;
        }
        const auto first = waiting_.begin();
        if (first->first > std::chrono::steady_clock::now()) {
            changed_.wait_until(lock, first->first);
            continue;
        }
        Job job = std::move(first->second);
        waiting_.erase(first);
        lock.unlock();
        due_(std::move(job));
        lock.lock();
    }
}

}  // namespace nb::host
