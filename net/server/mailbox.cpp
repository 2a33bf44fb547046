#include "mailbox.hpp"

#include <cerrno>
#include <cstdint>
#include <system_error>

#include <sys/eventfd.h>
#include <unistd.h>

#include "parked_request.hpp"

namespace nb::net {
namespace {

int make_eventfd() {
    const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    return fd;
}

}  // namespace

Mailbox::Mailbox() : fd_(make_eventfd()) {}

// Only now, when no request can post any more: closing earlier would let a
// late post write to a descriptor the process may have reused.
Mailbox::~Mailbox() { ::close(fd_); }

void Mailbox::post(std::shared_ptr<ParkedRequest> parked) noexcept {
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        try {
            waiting_.push_back(std::move(parked));
        } catch (...) {
            return;
        }
        first = waiting_.size() == 1;
    }
    // A loop that has not taken the batch yet is already woken.
    if (first) {
        const std::uint64_t one = 1;
        (void)!::write(fd_, &one, sizeof one);
    }
}

void Mailbox::take(std::vector<std::shared_ptr<ParkedRequest>> &into) noexcept {
    // Cleared before taking: a post after the swap wakes the loop again.
    std::uint64_t count = 0;
    (void)!::read(fd_, &count, sizeof count);
    std::lock_guard lock(mutex_);
    into.swap(waiting_);
}

void Mailbox::close() noexcept {
    std::vector<std::shared_ptr<ParkedRequest>> dropped;
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(waiting_);
}

}  // namespace nb::net
