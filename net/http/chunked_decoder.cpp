#include "chunked_decoder.hpp"

#include <algorithm>

#include "hex_digit.hpp"

namespace nb::net {
namespace {

constexpr std::size_t kDataBlock = 64 * 1024;
// 15 hex digits keep any size far from overflow; no body is near 2^60 bytes.
constexpr unsigned kMaxSizeDigits = 15;
constexpr std::size_t kMaxExtension = 4096;
// Extensions mean nothing here and clients rarely send any, but the limit per
// chunk alone lets a body of 1-byte chunks carry 4 KiB of them per data byte.
// Per body, 16 KiB (four extensions at the limit per chunk) bounds a body's
// framing to that plus a few bytes per chunk.
constexpr std::size_t kMaxBodyExtensions = 16 * 1024;
constexpr std::size_t kMaxTrailer = 8192;

}  // namespace

std::size_t ChunkedDecoder::wanted() const noexcept {
    switch (state_) {
    case State::data:
        return static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, kDataBlock));
    case State::done:
    case State::malformed:
        return 0;
    default:
        return 1;
    }
}

ChunkedDecoder::Result ChunkedDecoder::fail() noexcept {
    state_ = State::malformed;
    return Result::malformed;
}

ChunkedDecoder::Result ChunkedDecoder::feed(std::string_view bytes, std::string &body) {
    while (!bytes.empty()) {
        if (state_ == State::data) {
            const auto n = static_cast<std::size_t>(
                std::min<std::uint64_t>(remaining_, bytes.size()));
            body.append(bytes.data(), n);
            bytes.remove_prefix(n);
            remaining_ -= n;
            if (remaining_ == 0) state_ = State::data_cr;
            continue;
        }
        const Result result = step(bytes.front());
        bytes.remove_prefix(1);
        if (result != Result::more) return bytes.empty() ? result : fail();
    }
    return state_ == State::malformed ? Result::malformed
           : state_ == State::done    ? Result::done
                                      : Result::more;
}

ChunkedDecoder::Result ChunkedDecoder::step(char c) {
    switch (state_) {
    case State::size:
        if (const int v = hex_digit(c); v >= 0) {
            if (++digits_ > kMaxSizeDigits) return fail();
            remaining_ = remaining_ * 16 + static_cast<unsigned>(v);
            return Result::more;
        }
        if (digits_ == 0) return fail();
        if (c == '\r') {
            state_ = State::size_lf;
        } else if (c == ';' || c == ' ' || c == '\t') {
            state_ = State::extension;
        } else {
            return fail();
        }
        return Result::more;
    case State::extension:
        if (c == '\r') {
            state_ = State::size_lf;
        } else if (c == '\n' || ++line_ > kMaxExtension ||
                   ++extensions_ > kMaxBodyExtensions) {
            return fail();
        }
        return Result::more;
    case State::size_lf:
        if (c != '\n') return fail();
        line_ = 0;
        state_ = remaining_ == 0 ? State::trailer : State::data;
        return Result::more;
    case State::data_cr:
        if (c != '\r') return fail();
        state_ = State::data_lf;
        return Result::more;
    case State::data_lf:
        if (c != '\n') return fail();
        digits_ = 0;
        state_ = State::size;
        return Result::more;
    case State::trailer:
        if (++trailer_ > kMaxTrailer) return fail();
        if (c == '\r') {
            state_ = State::trailer_lf;
        } else if (c == '\n') {
            return fail();
        } else {
            ++line_;
        }
        return Result::more;
    case State::trailer_lf:
        if (c != '\n') return fail();
        if (line_ == 0) {
            state_ = State::done;
            return Result::done;
        }
        line_ = 0;
        state_ = State::trailer;
        return Result::more;
    case State::data:
    case State::done:
    case State::malformed:
        break;
    }
    return fail();
}

}  // namespace nb::net
