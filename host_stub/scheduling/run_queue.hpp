#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <nb/host.h>

namespace nb::host {

// A bounded FIFO of jobs served by a fixed set of worker threads. Accepted
// jobs run exactly once: close() refuses new ones, then waits until every
// accepted job has run and the workers are joined.
template <typename Job>
class RunQueue {
public:
    using Handler = std::function<void(Job &)>;

    RunQueue(std::size_t workers, std::size_t capacity, Handler handler)
        : capacity_(capacity), handler_(std::move(handler)) {
        threads_.reserve(workers);
        for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { serve(); });
    }
    ~RunQueue() { close(); }
    RunQueue(const RunQueue &) = delete;
    RunQueue &operator=(const RunQueue &) = delete;

    // [thread-safe] ACCEPTED, QUEUE_FULL when `capacity` jobs wait, FAILED once closed.
    nb_trigger_result_t push(Job job) {
        {
            std::lock_guard lock(mutex_);
            if (closed_) return NB_TRIGGER_FAILED;
            if (jobs_.size() >= capacity_) return NB_TRIGGER_QUEUE_FULL;
            jobs_.push_back(std::move(job));
        }
        wake_.notify_one();
        return NB_TRIGGER_ACCEPTED;
    }

    // [main-thread] Idempotent.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        wake_.notify_all();
        for (auto &t : threads_) {
            if (t.joinable()) t.join();
        }
    }

private:
    void serve() {
        for (;;) {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // closed and drained
            Job job = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            handler_(job);
        }
    }

    const std::size_t capacity_;
    const Handler handler_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool closed_ = false;
    std::vector<std::thread> threads_;  // last: started after everything they use
};

}  // namespace nb::host
