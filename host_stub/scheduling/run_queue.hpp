#pragma once

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <semaphore.h>

#include <nb/host.h>

namespace nb::host {

// How a push behaves as jobs pile up.
struct QueueLimits {
    // Jobs that may wait. A push that finds this many waits up to `full_wait`
    // for a slot, then is refused: under a sustained burst the senders slow
    // to the workers' pace instead of being refused while a slot is a few
    // runs away.
    std::size_t capacity = 1024;
    std::chrono::milliseconds full_wait{0};
    // Pacing, well before the queue is full. A push that finds `pace_depth`
    // jobs waiting first waits up to `pace_wait` for the workers to take one,
    // then is accepted all the same. Where the pushing threads and the
    // workers share the cores, a backlog is CPU the workers owe: once it is
    // deep they run for whole scheduler slices, and the threads that answer
    // requests wait behind them, a tail of milliseconds in answer times. The
    // short wait hands the workers the core while their debt is small; when
    // runs are slow instead, it costs each push at most `pace_wait`.
    std::size_t pace_depth = SIZE_MAX;
    std::chrono::microseconds pace_wait{0};
};

// A bounded FIFO of jobs served by a fixed set of worker threads. Accepted
// jobs run exactly once: close() refuses new ones, then waits until every
// accepted job has run and the workers are joined. Pushes are paced and
// bounded as QueueLimits says.
//
// A push that finds a worker idle hands it the job directly and wakes only
// that worker through its own semaphore: one futex call each way, and the
// woken worker does not contend for the queue's lock to take its job. Jobs
// wait in the FIFO only while every worker is busy.
//
// A handler that throws fails its job alone: the job counts as run, the
// exception goes to the error handler and the worker serves on. A thread
// ended by an exception would std::terminate the whole process.
template <typename Job>
class RunQueue {
public:
    using Handler = std::function<void(Job &)>;
    // [worker-thread, concurrently] Told of a job whose handler threw, with
    // the exception's what() ("unknown exception" for one not derived from
    // std::exception). Without one, or when it throws too, a line on stderr.
    using ErrorHandler = std::function<void(Job &, const char *what)>;

    // [worker-thread, concurrently] Told, outside the queue's lock, each time
    // a worker takes a job from the FIFO: there is room again. It must not
    // block.
    using RoomHandler = std::function<void()>;

    RunQueue(std::size_t workers, QueueLimits limits, Handler handler,
             ErrorHandler on_error = nullptr, RoomHandler on_room = nullptr)
        : limits_(limits),
          handler_(std::move(handler)),
          on_error_(std::move(on_error)),
          on_room_(std::move(on_room)) {
        // A thread that fails to start (std::system_error) or a bad_alloc
        // leaves no destructor to run: the threads started so far are closed
        // and joined here, as a joinable std::thread destroyed would
        // std::terminate.
        try {
            workers_.reserve(workers);
            threads_.reserve(workers);
            for (std::size_t i = 0; i < workers; ++i) {
                workers_.push_back(std::make_unique<Worker>());
                Worker &worker = *workers_.back();
                threads_.emplace_back([this, &worker] { serve(worker); });
            }
        } catch (...) {
            close();
            throw;
        }
    }
    ~RunQueue() { close(); }
    RunQueue(const RunQueue &) = delete;
    RunQueue &operator=(const RunQueue &) = delete;

    // [thread-safe] ACCEPTED (and `job` moved from), QUEUE_FULL when
    // `capacity` jobs still wait after `full_wait`, FAILED once closed
    // (`job` untouched either way, so a caller may push it again).
    nb_trigger_result_t push(Job &&job) { return push(job); }
    nb_trigger_result_t push(Job &job) {
        std::unique_lock lock(mutex_);
        space_.wait_for(lock, limits_.pace_wait,
                        [this] { return closed_ || jobs_.size() < limits_.pace_depth; });
        space_.wait_for(lock, limits_.full_wait,
                        [this] { return closed_ || jobs_.size() < limits_.capacity; });
        return place(lock, job);
    }

    // [thread-safe] Never waits, never paces: ACCEPTED (and `job` moved
    // from), QUEUE_FULL when `capacity` jobs wait (`job` untouched), FAILED
    // once closed.
    nb_trigger_result_t try_push(Job &job) {
        std::unique_lock lock(mutex_);
        return place(lock, job);
    }

    // [thread-safe] How many jobs wait in the FIFO (none handed to a worker
    // yet), read without the lock: a hint that may be stale at once.
    std::size_t waiting() const noexcept { return waiting_.load(std::memory_order_relaxed); }

    // [main-thread] Idempotent.
    void close() {
        std::vector<Worker *> idle;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            idle.swap(idle_);
        }
        for (Worker *worker : idle) worker->wake.post();
        space_.notify_all();
        for (auto &t : threads_) {
            if (t.joinable()) t.join();
        }
    }

private:
    // A counting semaphore (C++17 has none) over POSIX's, whose post makes
    // a futex call only when its waiter sleeps.
    class Semaphore {
    public:
        Semaphore() { ::sem_init(&sem_, 0, 0); }
        ~Semaphore() { ::sem_destroy(&sem_); }
        Semaphore(const Semaphore &) = delete;
        Semaphore &operator=(const Semaphore &) = delete;
        void post() noexcept { ::sem_post(&sem_); }
        void wait() noexcept {
            while (::sem_wait(&sem_) != 0 && errno == EINTR) {
            }
        }

    private:
        sem_t sem_;
    };

    struct Worker {
        Semaphore wake;
        std::optional<Job> handed;  // written by push before wake.post()
    };

    // Under `lock`, which it releases: hands `job` to an idle worker, or
    // queues it when there is room.
    nb_trigger_result_t place(std::unique_lock<std::mutex> &lock, Job &job) {
        if (closed_) return NB_TRIGGER_FAILED;
        if (idle_.empty()) {
            if (jobs_.size() >= limits_.capacity) return NB_TRIGGER_QUEUE_FULL;
            jobs_.push_back(std::move(job));
            waiting_.store(jobs_.size(), std::memory_order_relaxed);
            return NB_TRIGGER_ACCEPTED;
        }
        Worker *idle = idle_.back();
        idle_.pop_back();
        idle->handed.emplace(std::move(job));
        lock.unlock();
        idle->wake.post();
        return NB_TRIGGER_ACCEPTED;
    }

    void serve(Worker &worker) {
        for (;;) {
            std::optional<Job> job;
            {
                std::lock_guard lock(mutex_);
                if (!jobs_.empty()) {
                    job.emplace(std::move(jobs_.front()));
                    jobs_.pop_front();
                    waiting_.store(jobs_.size(), std::memory_order_relaxed);
                } else if (closed_) {
                    return;  // closed and drained
                } else {
                    idle_.push_back(&worker);
                }
            }
            if (job) {
                space_.notify_one();
                if (on_room_) on_room_();
                run(*job);
                continue;
            }
            worker.wake.wait();
            // Woken with a job, or by close: then the FIFO is looked at again.
            if (worker.handed) {
                Job handed = std::move(*worker.handed);
                worker.handed.reset();
                run(handed);
            }
        }
    }

    // The handler, with whatever it throws reported, never passed on.
    void run(Job &job) noexcept {
        try {
            handler_(job);
        } catch (const std::exception &e) {
            report(job, e.what());
        } catch (...) {
            report(job, "unknown exception");
        }
    }

    void report(Job &job, const char *what) noexcept {
        try {
            if (on_error_) return on_error_(job, what);
        } catch (...) {
        }
        // No allocation here, the throw may well have been a bad_alloc; one
        // fputs, so that lines from two workers do not interleave.
        char line[512];
        std::snprintf(line, sizeof line, "nb-host: error: a run failed: host error: %s\n", what);
        std::fputs(line, stderr);
    }

    const QueueLimits limits_;
    const Handler handler_;
    const ErrorHandler on_error_;
    const RoomHandler on_room_;
    std::mutex mutex_;
    std::condition_variable space_;  // a job taken, or the close, for pushers
    std::deque<Job> jobs_;
    std::atomic<std::size_t> waiting_{0};  // jobs_.size(), for waiting()
    std::vector<Worker *> idle_;  // waiting on their semaphore, none with a job
    bool closed_ = false;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<std::thread> threads_;  // last: started after everything they use
};

}  // namespace nb::host
