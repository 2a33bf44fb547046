#include "endpoint.hpp"

#include "webhook_handler.hpp"

namespace nb::webhook {

std::unique_ptr<net::RequestHandler> Endpoint::create(const net::RequestHead &) {
    return std::make_unique<WebhookHandler>(shared_from_this());
}

void Endpoint::notify() noexcept {
    std::lock_guard lock(mutex_);
    idle_.notify_all();
}

void Endpoint::close(std::chrono::milliseconds grace) noexcept {
    closed_.store(true);
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return in_call_.load() == 0; });
    if (!async) return;
    idle_.wait_for(lock, grace, [this] { return owed_.load() == 0; });
    lock.unlock();
    async->cancel_pending(host, node);
}

}  // namespace nb::webhook
