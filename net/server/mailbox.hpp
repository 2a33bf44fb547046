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

    // [thread-safe] Hands an answered request to the loop; writes the
    // eventfd only when the loop said it would sleep (arm), so answers posted
    // while it works cost no syscall. Dropped once closed, or when out of
    // memory: the request's deadline then delivers its answer.
    void post(std::shared_ptr<ParkedRequest> parked) noexcept;

    // [server-thread] Before the loop waits: true when nothing waits, and the
    // next post will wake it; false when answers wait (take them, no sleep).
    bool arm() noexcept;

    // [server-thread] Swaps what waits into `into` (empty, its capacity kept
    // for the next time); the loop is awake, posts need not wake it.
    void take(std::vector<std::shared_ptr<ParkedRequest>> &into) noexcept;

    // [server-thread] The eventfd was readable: clears it.
    void clear_wake() noexcept;

    // [server-thread] The loop is ending: later posts are dropped, and so is
    // what waits, which would otherwise keep its requests (and them this) alive.
    void close() noexcept;

private:
    const int fd_;
    std::mutex mutex_;
    std::vector<std::shared_ptr<ParkedRequest>> waiting_;
    bool armed_ = false;  // the loop sleeps, or is about to: the next post writes the eventfd
    bool closed_ = false;
};

}  // namespace nb::net
