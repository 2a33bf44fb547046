#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "job.hpp"

namespace nb::host {

// Failed runs waiting for their retry: each job is handed back to `due`, on
// the timer's own thread, once its time has come. `due` may block (it queues
// the run, waiting for room).
class RetryTimer {
public:
    using Due = std::function<void(Job &&)>;
    explicit RetryTimer(Due due);
    ~RetryTimer();  // close()
    RetryTimer(const RetryTimer &) = delete;
    RetryTimer &operator=(const RetryTimer &) = delete;

    // [thread-safe] false once closed (`job` is then left as it was).
    bool schedule(std::chrono::steady_clock::time_point when, Job &job);

    // [main-thread] Stops the thread; the jobs whose time had not come are
    // returned, oldest due first. Idempotent.
    std::vector<Job> close();

private:
    void serve();

    const Due due_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<std::chrono::steady_clock::time_point, Job> waiting_;
    bool closed_ = false;
    std::thread thread_;  // last
};

}  // namespace nb::host
