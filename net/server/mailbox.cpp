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
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        try {
            waiting_.push_back(std::move(parked));
        } catch (...) {
            return;
        }
        wake = armed_;
        armed_ = false;
    }
    if (wake) {
        const std::uint64_t one = 1;
        (void)!::write(fd_, &one, sizeof one);
    }
}

bool Mailbox::arm() noexcept {
    std::lock_guard lock(mutex_);
    armed_ = waiting_.empty();
    return armed_;
}

void Mailbox::take(std::vector<std::shared_ptr<ParkedRequest>> &into) noexcept {
    std::lock_guard lock(mutex_);
    armed_ = false;
    into.swap(waiting_);
}

void Mailbox::clear_wake() noexcept {
    std::uint64_t count = 0;
    (void)!::read(fd_, &count, sizeof count);
}

void Mailbox::close() noexcept {
    std::vector<std::shared_ptr<ParkedRequest>> dropped;
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(waiting_);
}

}  // namespace nb::net
