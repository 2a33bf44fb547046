#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "http/responses.hpp"

namespace nb::net {

class Connection;
class Mailbox;

// One parked request: where its first answer is decided (from any thread)
// and kept until its loop sends it. The connection it answers is read and
// forgotten by the loop's thread only, so an answer coming after the client
// left finds no connection and is dropped.
class ParkedRequest : public std::enable_shared_from_this<ParkedRequest> {
public:
    // [server-thread] Made by on_body's call to park, on the loop's thread.
    ParkedRequest(Connection &connection, std::shared_ptr<Mailbox> mailbox) noexcept;

    // [thread-safe] The first answer wins (Responder::answer). Given on the
    // loop's thread inside on_body, it is sent once on_body returns, with no
    // wake-up; otherwise the loop is woken through its mailbox.
    bool answer(Answer answer) noexcept;

    // [server-thread] on_body has returned: answers now go through the mailbox.
    void handler_returned() noexcept { in_handler_ = false; }
    // [server-thread] The answer that won, once; nullopt while none has.
    std::optional<Answer> take() noexcept;
    // [server-thread] The answer that won, else `fallback`, which wins now
    // (`fell_back` then says so).
    Answer settle(Answer fallback, bool &fell_back) noexcept;

    // [server-thread] The connection waiting for the answer; null once it
    // was answered or closed.
    Connection *connection() const noexcept { return connection_; }
    void detach() noexcept { connection_ = nullptr; }

private:
    const std::thread::id loop_thread_;
    const std::shared_ptr<Mailbox> mailbox_;
    Connection *connection_;  // the loop's thread only
    bool in_handler_ = true;  // the loop's thread only

    std::mutex mutex_;
    bool answered_ = false;
    std::optional<Answer> answer_;  // set by the winner, until taken
};

}  // namespace nb::net
