#pragma once

// Redis's replies (RESP2) read from a byte source into plain values.
// Poco::Redis reads each reply line through an std::istream and allocates
// two shared objects per element: for XREADGROUP's replies that made the
// fetcher nb-host's busiest thread, so replies are read here instead
// (docs/benchmark.md, "Queue mode"). Commands are still Poco's.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis_url.hpp"

namespace nb::host {

struct RedisReply {
    enum class Kind : std::uint8_t { nil, simple, error, integer, bulk, array };
    Kind kind = Kind::nil;
    std::string text;  // simple, error (its message) and bulk replies
    std::int64_t number = 0;
    std::vector<RedisReply> items;
};
using RedisArray = std::vector<RedisReply>;

// Redis answered a command with an error; what() is its message.
class RedisReplyError : public BrokerError {
public:
    using BrokerError::BrokerError;
};

// The stream is not RESP (or is cut short): a reader cannot go on after it.
class RespFormatError : public BrokerError {
public:
    using BrokerError::BrokerError;
};

// Not thread-safe. Reads from `receive`, which fills up to n bytes of its
// buffer and returns how many (0: the peer closed) or throws. Lengths and
// nesting past Redis's own limits are format errors, so a broken peer
// cannot make it allocate without bound or recurse without end.
class RespReader {
public:
    using Receive = std::function<std::size_t(char *buffer, std::size_t n)>;
    explicit RespReader(Receive receive) : receive_(std::move(receive)) {}

    // The next whole reply. Throws RespFormatError, or what `receive` throws.
    RedisReply read();

private:
    RedisReply value(int depth);
    std::string_view line();
    std::int64_t length(std::string_view text, std::int64_t max);
    void fill();

    Receive receive_;
    std::string buffer_;
    std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
    std::size_t end_ = 0;
};

// Readers of replies: each throws RedisReplyError for an error reply and
// BrokerError for a reply of another type than expected.
bool is_error(const RedisReply &reply);
bool is_integer(const RedisReply &reply);
std::string error_text(const RedisReply &reply);
std::optional<std::string> bulk(const RedisReply &reply);  // nothing for nil
std::optional<std::string> bulk(RedisReply &&reply);       // its text moved out
std::int64_t integer(const RedisReply &reply);
const RedisArray &array(const RedisReply &reply);  // empty for a nil array
RedisArray &array(RedisReply &reply);              // to move elements out
std::size_t count(const RedisArray &array);
const RedisReply &element(const RedisArray &array, std::size_t i);
RedisReply &element(RedisArray &array, std::size_t i);

}  // namespace nb::host
