#include "resp_reply.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "integer.hpp"

namespace nb::host {
namespace {

constexpr std::size_t kReceiveSize = 64 * 1024;
constexpr std::size_t kKeepSize = 1024 * 1024;
constexpr std::int64_t kMaxBulk = 512LL * 1024 * 1024;  // Redis's proto-max-bulk-len
constexpr std::int64_t kMaxElements = 1LL << 32;
constexpr std::size_t kReserveMax = 4096;  // elements: more only as they arrive
constexpr int kMaxDepth = 16;              // our deepest reply (XAUTOCLAIM's) is 4

}  // namespace

RedisReply RespReader::read() { return value(0); }

void RespReader::fill() {
    if (begin_ == end_) {
        begin_ = end_ = 0;
        if (buffer_.size() > kKeepSize) buffer_ = std::string();  // after a large reply
    }
    if (buffer_.size() - end_ < kReceiveSize / 2 && begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (buffer_.size() - end_ < kReceiveSize / 2) buffer_.resize(std::max(buffer_.size() * 2, end_ + kReceiveSize));
    const std::size_t n = receive_(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0) throw RespFormatError("Redis closed the connection");
    end_ += n;
}

std::string_view RespReader::line() {
    for (std::size_t searched = begin_;;) {
        const void *at = std::memchr(buffer_.data() + searched, '\n', end_ - searched);
        if (at) {
            const std::size_t newline = static_cast<std::size_t>(static_cast<const char *>(at) - buffer_.data());
            if (newline == begin_ || buffer_[newline - 1] != '\r') throw RespFormatError("Redis sent a line without CRLF");
            const std::string_view text(buffer_.data() + begin_, newline - 1 - begin_);
            begin_ = newline + 1;
            return text;
        }
        if (end_ - begin_ > kReceiveSize) throw RespFormatError("Redis sent a line longer than 64 KiB");
        searched = end_ - begin_;  // offsets survive fill()'s move
        fill();
        searched += begin_;
    }
}

std::int64_t RespReader::length(std::string_view text, std::int64_t max) {
    const auto n = parse_integer(text);
    if (!n || *n < -1 || *n > max) throw RespFormatError("Redis sent a length that is not one: " + std::string(text));
    return *n;
}

RedisReply RespReader::value(int depth) {
    if (depth > kMaxDepth) throw RespFormatError("Redis sent replies nested too deep");
    const std::string_view head = line();
    if (head.empty()) throw RespFormatError("Redis sent an empty line");
    const std::string_view rest = head.substr(1);
    RedisReply reply;
    switch (head[0]) {
    case '+':
        reply.kind = RedisReply::Kind::simple;
        reply.text = rest;
        return reply;
    case '-':
        reply.kind = RedisReply::Kind::error;
        reply.text = rest;
        return reply;
    case ':': {
        const auto n = parse_integer(rest);
        if (!n) throw RespFormatError("Redis sent an integer that is not one: " + std::string(rest));
        reply.kind = RedisReply::Kind::integer;
        reply.number = *n;
        return reply;
    }
    case '$': {
        const std::int64_t size = length(rest, kMaxBulk);
        if (size < 0) return reply;  // nil
        const auto n = static_cast<std::size_t>(size);
        while (end_ - begin_ < n + 2) fill();
        if (buffer_[begin_ + n] != '\r' || buffer_[begin_ + n + 1] != '\n') {
            throw RespFormatError("Redis sent a string longer than its length");
        }
        reply.kind = RedisReply::Kind::bulk;
        reply.text.assign(buffer_.data() + begin_, n);
        begin_ += n + 2;
        return reply;
    }
    case '*': {
        const std::int64_t n = length(rest, kMaxElements);
        if (n < 0) return reply;  // nil
        reply.kind = RedisReply::Kind::array;
        reply.items.reserve(std::min(static_cast<std::size_t>(n), kReserveMax));
        for (std::int64_t i = 0; i < n; ++i) reply.items.push_back(value(depth + 1));
        return reply;
    }
    default:
        throw RespFormatError("Redis sent what is not RESP: " + std::string(head.substr(0, 32)));
    }
}

bool is_error(const RedisReply &reply) { return reply.kind == RedisReply::Kind::error; }

bool is_integer(const RedisReply &reply) { return reply.kind == RedisReply::Kind::integer; }

std::string error_text(const RedisReply &reply) { return is_error(reply) ? reply.text : std::string(); }

namespace {

void expect(const RedisReply &reply, bool ok, const char *what) {
    if (is_error(reply)) throw RedisReplyError(reply.text);
    if (!ok) throw BrokerError(std::string("Redis answered with something other than ") + what);
}

}  // namespace

std::optional<std::string> bulk(const RedisReply &reply) { return bulk(RedisReply(reply)); }

std::optional<std::string> bulk(RedisReply &&reply) {
    using Kind = RedisReply::Kind;
    expect(reply, reply.kind == Kind::bulk || reply.kind == Kind::simple || reply.kind == Kind::nil, "a string");
    if (reply.kind == Kind::nil) return std::nullopt;
    return std::move(reply.text);
}

std::int64_t integer(const RedisReply &reply) {
    expect(reply, is_integer(reply), "an integer");
    return reply.number;
}

const RedisArray &array(const RedisReply &reply) {
    expect(reply, reply.kind == RedisReply::Kind::array || reply.kind == RedisReply::Kind::nil, "an array");
    return reply.items;  // a nil one has none
}

RedisArray &array(RedisReply &reply) { return const_cast<RedisArray &>(array(std::as_const(reply))); }

std::size_t count(const RedisArray &array) { return array.size(); }

const RedisReply &element(const RedisArray &array, std::size_t i) {
    if (i >= array.size()) throw BrokerError("Redis answered with a shorter array than expected");
    return array[i];
}

RedisReply &element(RedisArray &array, std::size_t i) {
    return const_cast<RedisReply &>(element(std::as_const(array), i));
}

}  // namespace nb::host
