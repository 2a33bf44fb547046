#pragma once

// One connection to the broker's Redis, ready for queue mode: connected,
// authenticated, on its database, and checked to have Streams.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Redis/Array.h>

#include "redis_url.hpp"
#include "resp_reply.hpp"

namespace nb::host {

using RedisCommand = Poco::Redis::Array;

// The connection failed or timed out: drop the link and connect again.
// what() says why; the constructor's also names the address.
class BrokerLost : public BrokerError {
public:
    using BrokerError::BrokerError;
};

// Commands in RESP, written into one buffer to be sent at once. The
// ingest's hot path writes its arguments straight in: Poco's Array
// allocates per argument and formats each command through a stream, which
// cost the ingest as much CPU as the event loops (docs/benchmark.md).
class RespBatch {
public:
    // Starts a command of `args` arguments: that many arg() calls follow.
    void command(std::size_t args);
    void arg(std::string_view value);
    // A command built with Poco's Array, as Poco writes it.
    void add(const RedisCommand &command);
    std::size_t size() const noexcept { return commands_; }
    const std::string &bytes() const noexcept { return bytes_; }

private:
    void number(char marker, std::size_t n);

    std::string bytes_;
    std::size_t commands_ = 0;
};

// Not thread-safe: one thread uses a link at a time. Commands are
// Poco::Redis's, on a socket of its own: Poco's Client hides its
// socket, so TCP_NODELAY cannot be set on it, and then a pipelined batch
// waits for Redis's delayed ACK (40 ms): 1.1k events/s instead of tens of
// thousands (docs/broker.md, "Why not Poco's Client").
class RedisLink {
public:
    // Connects, authenticates, selects the URL's database and checks the
    // server (Redis 6.2 or later: Streams with XAUTOCLAIM). `reply_timeout`
    // bounds every wait for an answer (a hung Redis is a lost one). Throws
    // BrokerLost when Redis cannot be reached, BrokerError when it can but
    // refuses us (password, version), both naming the address.
    RedisLink(const RedisUrl &url, std::chrono::milliseconds reply_timeout);
    RedisLink(const RedisLink &) = delete;
    RedisLink &operator=(const RedisLink &) = delete;

    // One command. Throws RedisReplyError for an error reply, BrokerLost.
    RedisReply call(const RedisCommand &command);
    // Many commands in one round trip, their replies in order; error
    // replies are returned, not thrown. Throws BrokerLost.
    std::vector<RedisReply> pipeline(const std::vector<RedisCommand> &commands);
    std::vector<RedisReply> pipeline(const RespBatch &batch);
    // SCRIPT LOAD: the script's SHA1 for EVALSHA on this connection.
    std::string load_script(const char *script);

    const std::string &address() const noexcept { return address_; }

private:
    // The batch sent, then as many replies read.
    std::vector<RedisReply> exchange(const RespBatch &batch);
    void check_server();

    std::string address_;
    Poco::Net::StreamSocket socket_;
    RespReader reader_;
};

// A command of these words, e.g. words({"XLEN", stream}).
RedisCommand words(std::initializer_list<std::string> list);

}  // namespace nb::host
