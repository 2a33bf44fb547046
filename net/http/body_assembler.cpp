#include "body_assembler.hpp"

#include <algorithm>

namespace nb::net {

BodyAssembler::BodyAssembler(const RequestHead &head, std::uint64_t max_bytes)
    : framing_(head.framing), max_bytes_(max_bytes),
      remaining_(head.framing == BodyFraming::length ? head.content_length : 0) {
    if (framing_ == BodyFraming::length && remaining_ <= max_bytes_) {
        body_.reserve(static_cast<std::size_t>(remaining_));
    }
}

BodyAssembler::Result BodyAssembler::feed(std::string_view bytes, std::size_t &taken) {
    taken = 0;
    switch (framing_) {
    case BodyFraming::none:
        return Result::complete;
    case BodyFraming::chunked:
        return feed_chunked(bytes, taken);
    case BodyFraming::length:
        break;
    }
    if (remaining_ > max_bytes_ - std::min<std::uint64_t>(body_.size(), max_bytes_)) {
        return Result::too_large;
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
    body_.append(bytes.data(), n);
    remaining_ -= n;
    taken = n;
    return remaining_ == 0 ? Result::complete : Result::more;
}

BodyAssembler::Result BodyAssembler::feed_chunked(std::string_view bytes, std::size_t &taken) {
    while (taken < bytes.size()) {
        if (body_.size() + chunks_.pending() > max_bytes_) return Result::too_large;
        const std::size_t n = std::min(chunks_.wanted(), bytes.size() - taken);
        const ChunkedDecoder::Result r = chunks_.feed(bytes.substr(taken, n), body_);
        taken += n;
        if (r == ChunkedDecoder::Result::done) return Result::complete;
        if (r == ChunkedDecoder::Result::malformed) return Result::malformed;
    }
    return body_.size() + chunks_.pending() > max_bytes_ ? Result::too_large : Result::more;
}

}  // namespace nb::net
