#include "reload_timer.hpp"

namespace nb::net::tls {

ReloadTimer::ReloadTimer(TlsPort &port, std::chrono::seconds period, Report report)
    : port_(port), period_(period), report_(std::move(report)), thread_([this] { run(); }) {}

ReloadTimer::~ReloadTimer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    stop_changed_.notify_all();
    thread_.join();
}

void ReloadTimer::run() {
    std::unique_lock lock(mutex_);
    while (!stop_changed_.wait_for(lock, period_, [this] { return stop_; })) {
        lock.unlock();
        std::string message;
        const auto reload = port_.reload_if_changed(message);
        if (reload != TlsPort::Reload::unchanged) report_(reload, message);
        lock.lock();
    }
}

}  // namespace nb::net::tls
