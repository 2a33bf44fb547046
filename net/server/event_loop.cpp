#include "event_loop.hpp"

#include <cerrno>
#include <system_error>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "parked_request.hpp"
#include "server_limits.hpp"

namespace nb::net {
namespace {

constexpr int kEventsPerWait = 64;
constexpr std::size_t kScratchBytes = 64 * 1024;
// Connections accepted per wake-up, so a flood of them cannot starve the
// loop's open connections.
constexpr int kAcceptsPerWake = 32;

std::uint32_t events_for(Wait wait) noexcept {
    switch (wait) {
    case Wait::write:
        return EPOLLOUT;
    case Wait::hangup:
        return EPOLLRDHUP;  // errors and hang-ups are reported whatever is asked
    default:
        return EPOLLIN;
    }
}

// A connection whose handling throws (out of memory) is closed; the loop,
// and every other connection, goes on.
template <typename Step>
Wait guarded(Step &&step) noexcept {
    try {
        return step();
    } catch (...) {
        return Wait::close;
    }
}

[[noreturn]] void throw_errno(const char *what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

struct EventLoop::Slot {
    std::unique_ptr<Connection> connection;
    Wait interest;
    std::size_t index;  // in slots_
};

EventLoop::EventLoop(int listen_fd, const PortContext &port, std::size_t max_connections)
    : listen_fd_(listen_fd), port_(port), max_connections_(max_connections),
      scratch_(kScratchBytes) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw_errno("epoll_create1");
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
        ::close(epoll_fd_);
        throw_errno("eventfd");
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.ptr = nullptr;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    epoll_event mail{};
    mail.events = EPOLLIN;
    mail.data.ptr = &mailbox_tag_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, mailbox_->fd(), &mail);
    set_accepting(true);
    try {
        thread_ = std::thread([this] { run(); });
    } catch (...) {
        ::close(wake_fd_);
        ::close(epoll_fd_);
        throw;
    }
}

EventLoop::~EventLoop() {
    request_stop();
    thread_.join();
    mailbox_->close();
    slots_.clear();
    closed_.clear();
    ::close(wake_fd_);
    ::close(epoll_fd_);
}

void EventLoop::request_stop() noexcept {
    stop_ = true;
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
}

void EventLoop::set_accepting(bool on) {
    if (on == accepting_) return;
    accepting_ = on;
    if (on) {
        epoll_event listen{};
        listen.events = EPOLLIN | EPOLLEXCLUSIVE;
        listen.data.ptr = &listen_tag_;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &listen);
    } else {
        // EPOLLEXCLUSIVE registrations cannot be modified, only removed.
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    }
}

void EventLoop::run() {
    epoll_event events[kEventsPerWait];
    auto next_check = Clock::now() + kTimerTick;
    bool stopping = false;
    for (;;) {
        // Answers already posted are delivered at once, without sleeping.
        const int timeout = mailbox_->arm() ? static_cast<int>(kTimerTick.count()) : 0;
        const int n = ::epoll_wait(epoll_fd_, events, kEventsPerWait, timeout);
        const Clock::time_point now = Clock::now();
        if (stop_ && !stopping) {
            stopping = true;
            begin_stop(now);
        }
        // Stopping, the loop goes on only while answers drain.
        if (stopping && slots_.empty()) return;
        for (int i = 0; i < n; ++i) {
            void *const tag = events[i].data.ptr;
            if (tag == &listen_tag_) {
                if (!stopping) accept_ready(now);
            } else if (tag == &mailbox_tag_) {
                mailbox_->clear_wake();
            } else if (tag) {
                dispatch(*static_cast<Slot *>(tag), events[i].events, now);
            }
        }
        deliver_answers(now);
        closed_.clear();
        if (now >= next_check) {
            check_deadlines(now);
            closed_.clear();
            next_check = now + kTimerTick;
        }
    }
}

void EventLoop::accept_ready(Clock::time_point now) {
    for (int i = 0; i < kAcceptsPerWake; ++i) {
        if (slots_.size() >= max_connections_) {
            // The rest wait in the backlog until a connection closes.
            set_accepting(false);
            return;
        }
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr *>(&address), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // Out of descriptors: accepting again at once would spin.
                set_accepting(false);
                resume_accepting_ = now + kAcceptPause;
            }
            return;  // EAGAIN: another loop took it; others: the client is gone
        }
        // Answers are written whole: Nagle's delay would only hold them back.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::unique_ptr<Slot> slot;
        try {
            // Room to close every slot in one batch, made now: closing never
            // allocates, so running out of memory cannot stop the loop.
            closed_.reserve(closed_.size() + slots_.size() + 1);
            slots_.reserve(slots_.size() + 1);
            slot = std::make_unique<Slot>(Slot{nullptr, Wait::read, slots_.size()});
            auto transport = port_.transports ? port_.transports->make(fd)
                                              : std::make_unique<PlainTransport>(fd);
            slot->connection = std::make_unique<Connection>(
                fd, std::move(transport), Poco::Net::SocketAddress(reinterpret_cast<const sockaddr *>(&address), length),
                port_, LoopLink{mailbox_, slot.get()}, now);
        } catch (...) {
            ::close(fd);  // an address family Poco does not know, or no memory
            continue;
        }
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.ptr = slot.get();
        if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) continue;
        slots_.push_back(std::move(slot));
    }
}

void EventLoop::dispatch(Slot &slot, std::uint32_t events, Clock::time_point now) {
    if (!slot.connection) return;  // closed earlier in this batch
    Connection &connection = *slot.connection;
    if ((events & EPOLLOUT) || slot.interest == Wait::write) {
        // A reset while writing shows as a hang-up: the send then fails.
        apply(slot, guarded([&] {
            return connection.on_writable(now, scratch_.data(), scratch_.size());
        }));
    } else if (slot.interest == Wait::hangup) {
        apply(slot, Wait::close);  // the client of a parked request left
    } else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        // A hang-up or error shows as a failed or empty read.
        apply(slot, guarded([&] {
            return connection.on_readable(now, scratch_.data(), scratch_.size());
        }));
    }
    read_pending(slot, now);
}

void EventLoop::read_pending(Slot &slot, Clock::time_point now) {
    while (slot.connection && slot.interest == Wait::read && slot.connection->pending_input()) {
        Connection &connection = *slot.connection;
        apply(slot, guarded([&] {
            return connection.on_readable(now, scratch_.data(), scratch_.size());
        }));
    }
}

void EventLoop::apply(Slot &slot, Wait wait) {
    if (wait == Wait::close) {
        slot.connection->on_close();
        // Swap with the last slot, then free it once the batch is done.
        const std::size_t index = slot.index;
        slots_[index].swap(slots_.back());
        slots_[index]->index = index;
        closed_.push_back(std::move(slots_.back()));
        slots_.pop_back();
        closed_.back()->connection.reset();  // closes the socket, leaving epoll too
        if (!accepting_ && !stop_ && resume_accepting_ == Clock::time_point{}) set_accepting(true);
        return;
    }
    if (wait == slot.interest) return;
    slot.interest = wait;
    epoll_event event{};
    event.events = events_for(wait);
    event.data.ptr = &slot;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, slot.connection->fd(), &event);
}

void EventLoop::check_deadlines(Clock::time_point now) {
    if (!accepting_ && !stop_ && resume_accepting_ != Clock::time_point{} &&
        now >= resume_accepting_) {
        resume_accepting_ = {};
        set_accepting(true);
    }
    // Backwards: closing swaps the last slot into the current index.
    for (std::size_t i = slots_.size(); i-- > 0;) {
        Slot &slot = *slots_[i];
        Connection &connection = *slot.connection;
        apply(slot, guarded([&] {
            return connection.deadline() <= now ? connection.on_timeout(now)
                                                : connection.check_abandoned(now);
        }));
    }
}

void EventLoop::deliver_answers(Clock::time_point now) {
    mailbox_->take(answered_);
    for (const auto &parked : answered_) {
        // None when the request's connection closed or answered meanwhile.
        Connection *const connection = parked->connection();
        if (!connection) continue;
        Slot &slot = *static_cast<Slot *>(connection->loop_tag());
        apply(slot, guarded([&] { return connection->on_answered(now); }));
        read_pending(slot, now);
    }
    answered_.clear();
}

void EventLoop::begin_stop(Clock::time_point now) {
    set_accepting(false);
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, wake_fd_, nullptr);  // it stays readable
    for (std::size_t i = slots_.size(); i-- > 0;) {
        Slot &slot = *slots_[i];
        apply(slot, guarded([&] { return slot.connection->on_stop(now); }));
    }
}

}  // namespace nb::net
