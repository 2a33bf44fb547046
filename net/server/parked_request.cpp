#include "parked_request.hpp"

#include <utility>

#include "mailbox.hpp"
#include "request_handler.hpp"

namespace nb::net {

bool Responder::answer(Answer answer) const noexcept {
    return parked_ && parked_->answer(std::move(answer));  // a moved-from copy has none
}

ParkedRequest::ParkedRequest(Connection &connection, std::shared_ptr<Mailbox> mailbox) noexcept
    : loop_thread_(std::this_thread::get_id()), mailbox_(std::move(mailbox)),
      connection_(&connection) {}

bool ParkedRequest::answer(Answer answer) noexcept {
    {
        std::lock_guard lock(mutex_);
        if (answered_) return false;
        answered_ = true;
        answer_.emplace(std::move(answer));
    }
    // in_handler_ is read on the loop's own thread only.
    if (std::this_thread::get_id() == loop_thread_ && in_handler_) return true;
    mailbox_->post(shared_from_this());
    return true;
}

std::optional<Answer> ParkedRequest::take() noexcept {
    std::lock_guard lock(mutex_);
    std::optional<Answer> taken;
    taken.swap(answer_);
    return taken;
}

Answer ParkedRequest::settle(Answer fallback, bool &fell_back) noexcept {
    std::lock_guard lock(mutex_);
    answered_ = true;
    fell_back = !answer_;
    if (!answer_) return fallback;
    Answer won = std::move(*answer_);
    answer_.reset();
    return won;
}

}  // namespace nb::net
