#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nb::net {

// A strict decoder of a chunked request body (RFC 9112 7.1), fed bytes by its
// caller. It asks for no byte past the body's end, so a pipelined request
// after it stays unread in the connection. Pure: no I/O, fuzzed as such.
class ChunkedDecoder {
public:
    enum class Result { more, done, malformed };

    // The most bytes the next feed may hold: the rest of the current chunk
    // (capped), else 1 while a size line, a CRLF or the trailer is read.
    std::size_t wanted() const noexcept;

    // Data bytes the current chunk has announced and not yet delivered.
    std::uint64_t pending() const noexcept { return state_ == State::data ? remaining_ : 0; }

    // Consumes `bytes` (at most wanted()), appending chunk data to `body`.
    // malformed is final: a bad size line, a missing CRLF, a size over 15 hex
    // digits, a chunk extension or trailer longer than its limit, or chunk
    // extensions over 16 KiB in all.
    Result feed(std::string_view bytes, std::string &body);

private:
    enum class State { size, extension, size_lf, data, data_cr, data_lf, trailer, trailer_lf,
                       done, malformed };

    Result step(char c);
    Result fail() noexcept;

    State state_ = State::size;
    std::uint64_t remaining_ = 0;  // the size being parsed, then the data left
    unsigned digits_ = 0;
    std::size_t line_ = 0;        // bytes of the current extension or trailer line
    std::size_t extensions_ = 0;  // bytes of every chunk extension so far
    std::size_t trailer_ = 0;     // bytes of the whole trailer
};

}  // namespace nb::net
