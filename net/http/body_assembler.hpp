#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chunked_decoder.hpp"
#include "request_head.hpp"

namespace nb::net {

// Collects one request's body from the bytes a connection receives, however
// they are split, never holding more than max_bytes of it. A Content-Length
// over the limit is refused before any byte of the body is taken; a chunked
// body as soon as an announced chunk would cross the limit. Takes no byte
// past the body's end, so a pipelined request after it stays in the buffer.
class BodyAssembler {
public:
    enum class Result { more, complete, too_large, malformed };

    BodyAssembler(const RequestHead &head, std::uint64_t max_bytes);

    // Takes what it can of `bytes` (how much: `taken`). Final once it
    // returns anything but more.
    Result feed(std::string_view bytes, std::size_t &taken);

    // The whole body, once feed returned complete.
    std::string &body() noexcept { return body_; }

private:
    Result feed_chunked(std::string_view bytes, std::size_t &taken);

    const BodyFraming framing_;
    const std::uint64_t max_bytes_;
    std::uint64_t remaining_;  // with BodyFraming::length
    ChunkedDecoder chunks_;
    std::string body_;
};

}  // namespace nb::net
