#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Net/SocketAddress.h>

#include "http/body_assembler.hpp"
#include "http/request_head.hpp"
#include "exchange.hpp"
#include "http/responses.hpp"
#include "request_handler.hpp"
#include "transport.hpp"

namespace nb::net {

class Mailbox;

// What every connection of one port shares.
struct PortContext {
    RequestHandlerFactory &handlers;
    std::chrono::seconds read_timeout;  // for a whole head; the longest silence in a body
    std::atomic<std::size_t> &open_connections;  // counted by each connection's life
    TransportFactory *transports;  // null: plain TCP; else each connection's (TLS)
};

// What a connection waits for next; hangup: only for the client to leave (a
// parked request whose connection holds all the input it may); close: it is
// over, destroy it.
enum class Wait { read, write, hangup, close };

// What a connection needs of the loop serving it.
struct LoopLink {
    const std::shared_ptr<Mailbox> &mailbox;  // the loop's, which outlives its connections
    void *tag;  // what the loop knows the connection by, for an answer from the mailbox
};

// One client connection, driven by its event loop: reads requests as bytes
// arrive, parses each and hands it to its handler, collects its body, and
// writes the answer,
// request after request (keep-alive, pipelining), without ever blocking.
// Against hostile clients: a head not complete within read_timeout_s of its
// first byte, or a body silent that long, gets 408; bytes that are not HTTP get 400 at once; a declared body over
// the limit gets 413 unread; and a connection it closes on a client that
// might still be sending ends with a lingering close, so that the client
// reads its answer instead of a reset. Over TLS it reads and writes
// decrypted bytes through its transport, the handshake counting against the
// first head's read_timeout_s. A request its handler parks waits,
// reading only what the client pipelines behind it, until its answer comes
// through the loop's mailbox or its deadline passes. Each exchange's end is
// told to its handler (or to the port's factory when it had none) once.
class Connection final : private Parker {
public:
    // Takes ownership of `fd`, a connected non-blocking socket, which
    // `transport` reads and writes.
    Connection(int fd, std::unique_ptr<Transport> transport, const Poco::Net::SocketAddress &peer,
               const PortContext &port, LoopLink loop, Clock::time_point now);
    ~Connection();

    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    int fd() const noexcept { return fd_; }
    void *loop_tag() const noexcept { return loop_tag_; }
    // Input the transport holds already (decrypted TLS records), which no
    // readiness of the socket will announce: the loop reads it at once.
    bool pending_input() const noexcept;
    // When on_timeout is due.
    Clock::time_point deadline() const noexcept { return deadline_; }

    // [server-thread] Each returns what to wait for next. `scratch` is the
    // loop's read buffer, used for this call only.
    Wait on_readable(Clock::time_point now, char *scratch, std::size_t size);
    Wait on_writable(Clock::time_point now, char *scratch, std::size_t size);
    Wait on_timeout(Clock::time_point now);
    // The server is stopping: an answer being written may drain a little
    // longer, a request being read is answered 503, anything else ends now.
    Wait on_stop(Clock::time_point now);
    // [server-thread] Answers 503 to a request whose handler was abandoned
    // (RequestHandler::abandoned); otherwise nothing changes.
    Wait check_abandoned(Clock::time_point now);
    // [server-thread] The parked request's answer came through the mailbox.
    Wait on_answered(Clock::time_point now);
    // [server-thread] The loop closes the connection (it returned
    // Wait::close, the client left, or a step threw): an exchange still open
    // ends as client_gone.
    void on_close() noexcept;

private:
    enum class State { head, body, parked, write, linger, closed };
    enum class Flush { done, blocked, failed };

    Wait read_once(Clock::time_point now, char *scratch, std::size_t size);
    Wait advance(Clock::time_point now);
    void step_head();
    void step_body();
    Responder park(Clock::time_point due, std::shared_ptr<const Answer> on_timeout) override;
    std::size_t unread() const noexcept { return in_.size() - in_pos_; }
    void begin_request();
    void respond(Answer answer, Ending ending);
    // An error answer to a request not read to its end: the connection closes.
    void refuse(int status, std::string_view message, Ending ending);
    void refuse(Answer answer, Ending ending);
    // Tells the exchange's end to its handler, or to the port's factory.
    void finish() noexcept;
    Flush flush();
    void after_answer(Clock::time_point now);
    Wait discard(char *scratch, std::size_t size);
    Wait waiting() const noexcept;
    bool request_started() const noexcept;

    const int fd_;
    const std::unique_ptr<Transport> transport_;
    const Peer peer_;
    const PortContext &port_;
    const std::shared_ptr<Mailbox> &mailbox_;
    void *const loop_tag_;

    State state_ = State::head;
    Clock::time_point deadline_;
    std::optional<Clock::time_point> head_due_;  // set from a head's first byte to its end
    Clock::time_point started_;  // the current exchange's first byte
    std::optional<Clock::time_point> stop_due_;  // when a stopping server closes it at last
    std::string in_;  // received, not yet consumed from in_pos_ on
    std::size_t in_pos_ = 0;
    std::string out_;  // to send, from out_pos_ on
    std::size_t out_pos_ = 0;

    HeadParser parser_;
    RequestHead head_;
    std::unique_ptr<RequestHandler> handler_;  // until its exchange ends
    bool head_parsed_ = false;  // head_ is the current exchange's
    // The current exchange as on_finished will see it.
    int status_ = 0;
    int tag_ = 0;
    std::uint64_t body_bytes_ = 0;
    Ending ending_ = Ending::answered;
    std::optional<BodyAssembler> body_;
    std::shared_ptr<ParkedRequest> parked_;  // while its request waits for an answer
    Clock::time_point park_due_;
    std::shared_ptr<const Answer> timeout_answer_;  // sent at park_due_ unless an answer won first

    unsigned served_ = 0;
    bool close_after_ = false;   // the answer being written is the last
    bool linger_after_ = false;  // and the client may still be sending
    bool stopping_ = false;
    // The transport's read needs the socket writable, or its write readable
    // (a TLS handshake or key update under way): the wait it asked for.
    bool read_wants_write_ = false;
    bool write_wants_read_ = false;
    std::size_t lingered_ = 0;
};

}  // namespace nb::net
