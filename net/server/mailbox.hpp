#pragma once

#include <memory>
#include <mutex>
#include <vector>

namespace nb::net {

class ParkedRequest;

// Where answers from other threads wait for their event loop: parked
// requests that have an answer, and an eventfd in the loop's epoll set that
// wakes it for them. Shared with every parked request of the loop, so that a
// Responder outliving the loop posts into a closed mailbox, never into freed
// memory or a reused descriptor.
class Mailbox {
public:
    // Throws std::system_error when the kernel refuses an eventfd.
    Mailbox();
    ~Mailbox();

    Mailbox(const Mailbox &) = delete;
    Mailbox &operator=(const Mailbox &) = delete;

    // The eventfd for the loop's epoll set: readable while answers wait.
    int fd() const noexcept { return fd_; }

    // [thread-safe] Hands an answered request to the loop; wakes it only for
    // the first of a batch. Dropped once closed, or when out of memory: the
    // request's deadline then delivers its answer.
    void post(std::shared_ptr<ParkedRequest> parked) noexcept;

    // [server-thread] Swaps what waits into `into` (empty, its capacity kept
    // for the next time) and clears the wake-up.
    void take(std::vector<std::shared_ptr<ParkedRequest>> &into) noexcept;

    // [server-thread] The loop is ending: later posts are dropped, and so is
    // what waits, which would otherwise keep its requests (and them this) alive.
    void close() noexcept;

private:
    const int fd_;
    std::mutex mutex_;
    std::vector<std::shared_ptr<ParkedRequest>> waiting_;
    bool closed_ = false;
};

}  // namespace nb::net
