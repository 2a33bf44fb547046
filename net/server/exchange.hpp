#pragma once

#include <cstdint>

#include "http/request_head.hpp"
#include "request_handler.hpp"

namespace nb::net {

// How an exchange ended, as HTTP knows it.
enum class Ending {
    answered,        // with the handler's answer (or the 500 of a handler that failed)
    bad_head,        // the head was not HTTP (400, 414, 431, ...) or ended early: 400
    too_large,       // the body is over the handler's max_body_bytes: 413
    malformed_body,  // bad chunked framing, or the connection ended inside the body: 400
    timeout,         // the head or body did not arrive within read_timeout: 408
    answer_timeout,  // a parked request's due passed first: its timeout answer
    stopping,        // the server stopped before the request was answered: 503
    abandoned,       // the handler's owner stopped while the body was read: 503
    client_gone,     // the client left, or the connection failed, before the answer's last byte
};

// [server-thread] One request and its answer, as the server saw them once
// the exchange ended: handed to RequestHandler::on_finished, or to
// RequestHandlerFactory::on_unhandled when no handler was made. Borrowed for
// that call only.
struct Exchange {
    const Peer &peer;
    const RequestHead *head;  // null when the head was not parsed
    int status;               // the answer's; 0 when the client left before one
    int tag;                  // the answer's Answer::tag; 0 for the server's own answers
    std::uint64_t body_bytes;  // request body bytes read
    Clock::duration duration;  // the head's first byte to the answer's last byte (or the end)
    Ending ending;
};

}  // namespace nb::net
