#include "connection.hpp"

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include <sys/socket.h>
#include <unistd.h>

#include "mailbox.hpp"
#include "parked_request.hpp"
#include "server_limits.hpp"

namespace nb::net {
namespace {

// Consumed input is dropped once it is all consumed, or once it is large
// enough for the move to be worth it.
constexpr std::size_t kCompactAt = 32 * 1024;
// An idle connection gives back a buffer a large request grew past this.
constexpr std::size_t kIdleCapacity = 64 * 1024;
// Room for an answer, made before a handler decides it: an answer that fits
// is then written without allocating, so running out of memory cannot lose
// an answer whose request already had its effect.
constexpr std::size_t kAnswerRoom = 1024;
// What a parked request's connection keeps of the requests pipelined behind
// it; past it, it reads no more until the answer is out.
constexpr std::size_t kParkedInputCap = 64 * 1024;
constexpr std::string_view kStopping = "the server is stopping; retry later";
// nginx's answer too: the client is told, in the plain text it speaks.
constexpr std::string_view kHttpsOnly =
    "this port speaks HTTPS only: the plain HTTP request was sent to an HTTPS port";

}  // namespace

Connection::Connection(int fd, std::unique_ptr<Transport> transport,
                       const Poco::Net::SocketAddress &peer, const PortContext &port,
                       LoopLink loop, Clock::time_point now)
    : fd_(fd), transport_(std::move(transport)), peer_(peer), port_(port),
      mailbox_(loop.mailbox), loop_tag_(loop.tag), deadline_(now + port.read_timeout) {
    port_.open_connections.fetch_add(1, std::memory_order_relaxed);
    // A handshake and the head after it share one read_timeout_s, so that a
    // client stalling in either holds the connection no longer than a head.
    if (transport_->handshaking()) {
        head_due_ = deadline_;
        started_ = now;
    }
}

Connection::~Connection() {
    if (parked_) parked_->detach();  // its answer, if one comes, is dropped
    transport_->close_notify();
    ::close(fd_);
    port_.open_connections.fetch_sub(1, std::memory_order_relaxed);
}

bool Connection::request_started() const noexcept {
    return state_ == State::body || (state_ == State::head && in_pos_ < in_.size());
}

Wait Connection::waiting() const noexcept {
    if (read_wants_write_) return Wait::write;
    if (write_wants_read_) return Wait::read;
    switch (state_) {
    case State::write:
        return Wait::write;
    case State::parked:
        return unread() < kParkedInputCap ? Wait::read : Wait::hangup;
    case State::closed:
        return Wait::close;
    default:
        return Wait::read;
    }
}

Wait Connection::on_readable(Clock::time_point now, char *scratch, std::size_t size) {
    if (write_wants_read_) {
        write_wants_read_ = false;
        return advance(now);
    }
    return read_once(now, scratch, size);
}

bool Connection::pending_input() const noexcept {
    return transport_->pending() && state_ != State::linger && !read_wants_write_;
}

Wait Connection::read_once(Clock::time_point now, char *scratch, std::size_t size) {
    if (state_ == State::linger) return discard(scratch, size);
    const bool parked = state_ == State::parked;
    if (!parked && state_ != State::head && state_ != State::body) return waiting();
    if (parked) size = std::min(size, kParkedInputCap - std::min(unread(), kParkedInputCap));
    if (size == 0) return waiting();
    const IoResult got = transport_->read(scratch, size);
    switch (got.io) {
    case Io::done:
        break;
    case Io::want_read:
        return waiting();
    case Io::want_write:
        read_wants_write_ = true;
        return Wait::write;
    case Io::failed:
        return Wait::close;
    case Io::plain_http:
        refuse(400, kHttpsOnly, Ending::bad_head);
        return advance(now);
    }
    const std::size_t n = got.bytes;
    // A client leaving while its request is parked aborts it, as with nginx.
    if (n == 0 && parked) return Wait::close;
    if (n == 0) {
        // The client stopped sending: whatever part of a request came can
        // never end. It may still read, so say why.
        if (!request_started()) return Wait::close;
        if (state_ == State::body) {
            refuse(400, "the connection ended inside the body", Ending::malformed_body);
        } else {
            refuse(400, "the connection ended inside the request head", Ending::bad_head);
        }
        linger_after_ = false;  // nothing more can come
        return advance(now);
    }
    if (in_pos_ == in_.size()) {
        in_.clear();
        in_pos_ = 0;
    } else if (in_pos_ >= kCompactAt) {
        in_.erase(0, in_pos_);
        in_pos_ = 0;
    }
    in_.append(scratch, n);
    // Pipelined requests wait for the parked one's answer.
    if (parked) return waiting();
    if (state_ == State::head) {
        // The whole head within read_timeout_s of its first byte, so a
        // client trickling it cannot hold the connection; a body, which may
        // be large, gets read_timeout_s of silence at most.
        if (!head_due_) {
            head_due_ = now + port_.read_timeout;
            started_ = now;
        }
        deadline_ = *head_due_;
    } else {
        deadline_ = now + port_.read_timeout;
    }
    return advance(now);
}

Wait Connection::on_writable(Clock::time_point now, char *scratch, std::size_t size) {
    if (read_wants_write_) {
        read_wants_write_ = false;
        return read_once(now, scratch, size);
    }
    return advance(now);
}

Wait Connection::on_timeout(Clock::time_point now) {
    if (state_ == State::parked) {
        // Past its own due, or a stopping server's drain time.
        const bool due = now >= park_due_;
        Answer fallback = due ? *timeout_answer_ : error_answer(503, kStopping);
        bool fell_back = false;
        Answer answer = parked_->settle(std::move(fallback), fell_back);
        respond(std::move(answer), !fell_back ? Ending::answered
                                   : due      ? Ending::answer_timeout
                                              : Ending::stopping);
        return advance(now);
    }
    if (state_ == State::head || state_ == State::body) {
        // Silence between requests ends the connection quietly; inside one, with 408.
        if (!request_started()) return Wait::close;
        refuse(408, "the request did not arrive within read_timeout_s", Ending::timeout);
        return advance(now);
    }
    return Wait::close;
}

Wait Connection::on_stop(Clock::time_point now) {
    stopping_ = true;
    stop_due_ = now + kDrainTime;
    const bool handed_over = state_ == State::write || state_ == State::parked;
    if (state_ == State::linger || (!handed_over && !request_started())) return Wait::close;
    // A request not yet handed over is told to come again, not cut off; a
    // parked one may still get its answer until the drain time ends.
    if (!handed_over) refuse(503, kStopping, Ending::stopping);
    if (deadline_ > *stop_due_) deadline_ = *stop_due_;
    return state_ == State::parked ? waiting() : Wait::write;
}

Wait Connection::check_abandoned(Clock::time_point now) {
    if (state_ != State::body || !handler_->abandoned()) return waiting();
    refuse(503, "this path is no longer served; retry later", Ending::abandoned);
    return advance(now);
}

Wait Connection::on_answered(Clock::time_point now) {
    if (state_ != State::parked) return waiting();
    auto answer = parked_->take();
    if (!answer) return waiting();
    respond(std::move(*answer), Ending::answered);
    return advance(now);
}

void Connection::on_close() noexcept {
    const bool open = state_ == State::write || state_ == State::parked || request_started();
    if (!open) return;
    if (state_ != State::write) status_ = 0;  // no answer was begun
    ending_ = Ending::client_gone;
    finish();
}

Wait Connection::advance(Clock::time_point now) {
    for (;;) {
        switch (state_) {
        case State::head:
            if (in_pos_ == in_.size()) return Wait::read;
            step_head();
            if (state_ == State::head) return Wait::read;
            head_due_.reset();
            deadline_ = now + port_.read_timeout;
            break;
        case State::body:
            step_body();
            if (state_ == State::body) return Wait::read;
            break;
        case State::parked:
            return waiting();
        case State::write:
            switch (flush()) {
            case Flush::blocked:
                deadline_ = now + port_.read_timeout;
                return waiting();
            case Flush::failed:
                return Wait::close;
            case Flush::done:
                after_answer(now);
                break;
            }
            break;
        case State::linger:
            return Wait::read;
        case State::closed:
            return Wait::close;
        }
    }
}

void Connection::step_head() {
    std::size_t consumed = 0;
    const auto result =
        parser_.parse(std::string_view(in_).substr(in_pos_), head_, consumed);
    in_pos_ += consumed;
    switch (result) {
    case HeadParser::Result::incomplete:
        return;
    case HeadParser::Result::bad:
        refuse(parser_.status(), parser_.message(), Ending::bad_head);
        return;
    case HeadParser::Result::complete:
        begin_request();
        return;
    }
}

void Connection::begin_request() {
    ++served_;
    head_parsed_ = true;
    handler_ = port_.handlers.create(head_);
    if (auto answer = handler_->on_head(head_, peer_)) {
        // Given before the body is read, it must close the connection if a
        // body follows: its bytes cannot be told from a next request.
        answer->close = answer->close || head_.has_body();
        respond(std::move(*answer), Ending::answered);
        return;
    }
    body_.emplace(head_, handler_->max_body_bytes());
    state_ = State::body;
    // A client waiting for a go-ahead before its body gets it now, unless the
    // body is already arriving. The connection's send buffer is empty here.
    // What does not go out now goes with the answer.
    if (head_.expect_continue && head_.has_body() && in_pos_ == in_.size()) {
        out_.append(kContinue);
        (void)flush();
    }
}

void Connection::step_body() {
    std::size_t taken = 0;
    const auto result = body_->feed(std::string_view(in_).substr(in_pos_), taken);
    in_pos_ += taken;
    body_bytes_ = body_->body().size();
    switch (result) {
    case BodyAssembler::Result::more:
        return;
    case BodyAssembler::Result::too_large:
        refuse(too_large_answer(handler_->max_body_bytes()), Ending::too_large);
        return;
    case BodyAssembler::Result::malformed:
        refuse(400, "malformed chunked body", Ending::malformed_body);
        return;
    case BodyAssembler::Result::complete:
        break;
    }
    out_.reserve(out_.size() + kAnswerRoom);
    std::optional<Answer> answer;
    try {
        answer = handler_->on_body(head_, body_->body(), peer_, *this);
    } catch (const std::exception &e) {
        // Out of memory, or a check that threw: this request fails, not the server.
        answer.emplace(error_answer(500, std::string("cannot handle the request: ") + e.what()));
    }
    if (parked_) {
        // An answer returned (or thrown) despite parking competes with the
        // Responder's; one given inline already is sent now, without waiting.
        if (answer) parked_->answer(std::move(*answer));
        parked_->handler_returned();
        answer = parked_->take();
        if (!answer) {
            state_ = State::parked;
            deadline_ = park_due_;
            body_.reset();  // a parked request costs its head, not its body
            return;
        }
    } else if (!answer) {
        answer.emplace(error_answer(500, "the request handler gave no answer"));
    }
    // Outside the try: an answer the handler decided is never replaced. If
    // even writing it fails, the loop closes the connection.
    respond(std::move(*answer), Ending::answered);
}

Responder Connection::park(Clock::time_point due, std::shared_ptr<const Answer> on_timeout) {
    if (parked_) throw std::logic_error("a request can be parked only once");
    if (!on_timeout) throw std::invalid_argument("a parked request needs a timeout answer");
    parked_ = std::make_shared<ParkedRequest>(*this, mailbox_);
    park_due_ = due;
    timeout_answer_ = std::move(on_timeout);
    return Responder(parked_);
}

void Connection::refuse(int status, std::string_view message, Ending ending) {
    refuse(error_answer(status, message), ending);
}

void Connection::refuse(Answer answer, Ending ending) {
    // A head that did not parse tells nothing of the client's wishes.
    if (state_ == State::head) head_ = RequestHead{};
    answer.close = true;
    respond(std::move(answer), ending);
}

void Connection::respond(Answer answer, Ending ending) {
    status_ = answer.status;
    tag_ = answer.tag;
    ending_ = ending;
    const bool keep_alive = head_.keep_alive && !answer.close && !stopping_ &&
                            served_ < kMaxKeepAliveRequests;
    append_answer(out_, answer, {keep_alive, head_.http11, head_.method == "HEAD"});
    close_after_ = !keep_alive;
    // A client that asked to close and was read to the end sends nothing
    // more; any other may, and must not be reset before it reads the answer.
    linger_after_ = !keep_alive && (answer.close || head_.keep_alive);
    body_.reset();
    if (parked_) {
        parked_->detach();
        parked_.reset();
        timeout_answer_.reset();
    }
    parser_.reset();
    state_ = State::write;
}

Connection::Flush Connection::flush() {
    while (out_pos_ < out_.size()) {
        const IoResult put = transport_->write(out_.data() + out_pos_, out_.size() - out_pos_);
        switch (put.io) {
        case Io::done:
            out_pos_ += put.bytes;
            break;
        case Io::want_read:
            write_wants_read_ = true;
            return Flush::blocked;
        case Io::want_write:
            return Flush::blocked;
        default:
            return Flush::failed;
        }
    }
    out_.clear();
    out_pos_ = 0;
    return Flush::done;
}

void Connection::finish() noexcept {
    // A clock of its own: the loop's, read once per wake-up, would make every
    // answer written in the wake-up that read its request take 0 s.
    const Exchange exchange{peer_,   head_parsed_ ? &head_ : nullptr, status_, tag_, body_bytes_,
                            Clock::now() - started_, ending_};
    if (handler_) {
        handler_->on_finished(exchange);
        handler_.reset();
    } else {
        port_.handlers.on_unhandled(exchange);
    }
    head_parsed_ = false;
    status_ = 0;
    tag_ = 0;
    body_bytes_ = 0;
    ending_ = Ending::answered;
}

void Connection::after_answer(Clock::time_point now) {
    finish();
    if (close_after_ || stopping_) {
        if (!linger_after_) {
            state_ = State::closed;
            return;
        }
        transport_->close_notify();
        ::shutdown(fd_, SHUT_WR);
        state_ = State::linger;
        lingered_ = 0;
        deadline_ = now + kLingerTime;
        // A stopping server waits for no client past its drain time.
        if (stop_due_ && deadline_ > *stop_due_) deadline_ = *stop_due_;
        return;
    }
    state_ = State::head;
    if (in_pos_ == in_.size()) {
        in_.clear();
        in_pos_ = 0;
        if (in_.capacity() > kIdleCapacity) in_.shrink_to_fit();
        if (out_.capacity() > kIdleCapacity) out_.shrink_to_fit();
        deadline_ = now + kKeepAliveTimeout;
    } else {
        head_due_ = now + port_.read_timeout;  // a pipelined request has begun
        started_ = now;
        deadline_ = *head_due_;
    }
}

Wait Connection::discard(char *scratch, std::size_t size) {
    const ssize_t n = ::recv(fd_, scratch, size, 0);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Wait::read : Wait::close;
    if (n == 0) return Wait::close;
    lingered_ += static_cast<std::size_t>(n);
    return lingered_ < kLingerBytes ? Wait::read : Wait::close;
}

}  // namespace nb::net
