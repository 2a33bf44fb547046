#pragma once

#include <atomic>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "connection.hpp"
#include "mailbox.hpp"

namespace nb::net {

// One thread serving many connections of one port with epoll: it accepts
// from the port's listening socket (shared with the port's other loops;
// EPOLLEXCLUSIVE wakes one of them per connection), reads, answers and
// times out its own connections. A slow client costs a connection, not a
// thread, and nothing blocks but a request handler.
class EventLoop {
public:
    // [main-thread] Starts the loop's thread. `listen_fd` is non-blocking and
    // outlives the loop; so does `port`. Throws std::system_error when the
    // kernel refuses an epoll set or a thread.
    EventLoop(int listen_fd, const PortContext &port, std::size_t max_connections);

    // [main-thread] Stops accepting, closes every connection but those still
    // writing an answer or with a request parked, which get kDrainTime to
    // finish (a parked request unanswered by then gets 503), and joins the thread.
    ~EventLoop();

    EventLoop(const EventLoop &) = delete;
    EventLoop &operator=(const EventLoop &) = delete;

    // [main-thread] Begins what the destructor finishes, so that the loops of
    // one port stop together.
    void request_stop() noexcept;

private:
    struct Slot;

    void run();
    void accept_ready(Clock::time_point now);
    void dispatch(Slot &slot, std::uint32_t events, Clock::time_point now);
    // Makes epoll wait for what the connection wants, or closes it (ending
    // its exchange, if one is open).
    void apply(Slot &slot, Wait wait);
    // Reads what the connection's transport holds already while it waits to
    // read: no epoll event would come for it.
    void read_pending(Slot &slot, Clock::time_point now);
    void check_deadlines(Clock::time_point now);
    // Sends the answers other threads gave parked requests.
    void deliver_answers(Clock::time_point now);
    // Stops accepting and closes every connection not writing an answer;
    // the slots are freed after the batch of events, as any closed slot.
    void begin_stop(Clock::time_point now);
    void set_accepting(bool on);

    const int listen_fd_;
    const PortContext &port_;
    const std::size_t max_connections_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;  // an eventfd: request_stop's signal
    // Answers to parked requests; polled while stopping too, unlike wake_fd_.
    const std::shared_ptr<Mailbox> mailbox_ = std::make_shared<Mailbox>();
    std::atomic<bool> stop_{false};

    // Owned by the loop's thread once it runs. A closed slot is freed only
    // after the batch of events that closed it, which may still name it.
    std::vector<std::unique_ptr<Slot>> slots_;
    std::vector<std::unique_ptr<Slot>> closed_;
    char listen_tag_ = 0;  // its address marks the listening socket's events
    char mailbox_tag_ = 0;  // and this one the mailbox's
    std::vector<std::shared_ptr<ParkedRequest>> answered_;  // taken from the mailbox
    bool accepting_ = false;
    Clock::time_point resume_accepting_{};
    std::vector<char> scratch_;

    std::thread thread_;
};

}  // namespace nb::net
