#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "tls_port.hpp"

namespace nb::net::tls {

// A thread that reloads a TlsPort's files every `period` when they changed,
// off the event loops (reading files would block them), and tells what it
// did through `report`, called on that thread.
class ReloadTimer {
public:
    using Report = std::function<void(TlsPort::Reload, const std::string &message)>;

    // [main-thread] `port` outlives the timer. Throws std::system_error when
    // no thread can be had.
    ReloadTimer(TlsPort &port, std::chrono::seconds period, Report report);
    // [main-thread] Returns once the thread is done (a reload under way ends first).
    ~ReloadTimer();

    ReloadTimer(const ReloadTimer &) = delete;
    ReloadTimer &operator=(const ReloadTimer &) = delete;

private:
    void run();

    TlsPort &port_;
    const std::chrono::seconds period_;
    const Report report_;
    std::mutex mutex_;
    std::condition_variable stop_changed_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace nb::net::tls
