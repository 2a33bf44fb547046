#pragma once

#include <chrono>
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
//
// A push that finds the queue full waits up to `full_wait` for a slot. Under
// a sustained burst the senders then slow to the workers' pace instead of
// being refused while a slot is a few runs away; on a machine where senders
// and workers share the cores it also hands the workers the CPU they need.
template <typename Job>
class RunQueue {
public:
    using Handler = std::function<void(Job &)>;

    RunQueue(std::size_t workers, std::size_t capacity, Handler handler,
             std::chrono::milliseconds full_wait = {})
        : capacity_(capacity), full_wait_(full_wait), handler_(std::move(handler)) {
        threads_.reserve(workers);
        for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { serve(); });
    }
    ~RunQueue() { close(); }
    RunQueue(const RunQueue &) = delete;
    RunQueue &operator=(const RunQueue &) = delete;

    // [thread-safe] ACCEPTED, QUEUE_FULL when `capacity` jobs still wait
    // after `full_wait`, FAILED once closed.
    nb_trigger_result_t push(Job job) {
        {
            std::unique_lock lock(mutex_);
            space_.wait_for(lock, full_wait_, [this] { return closed_ || jobs_.size() < capacity_; });
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
        space_.notify_all();
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
            space_.notify_one();
            handler_(job);
        }
    }

    const std::size_t capacity_;
    const std::chrono::milliseconds full_wait_;
    const Handler handler_;
    std::mutex mutex_;
    std::condition_variable wake_;   // a job or the close for the workers
    std::condition_variable space_;  // a free slot or the close for pushers
    std::deque<Job> jobs_;
    bool closed_ = false;
    std::vector<std::thread> threads_;  // last: started after everything they use
};

}  // namespace nb::host
