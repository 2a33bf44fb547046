#pragma once

// Where the broker is: `--broker redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]`,
// or `env:NAME` for a URL kept out of the process list.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nb::host {

// A broker that cannot be used; what() names the address and what is wrong.
class BrokerError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RedisUrl {
    std::string host;
    std::uint16_t port = 6379;
    std::string user;      // empty: Redis's default user
    std::string password;  // empty: no AUTH
    unsigned db = 0;

    // HOST:PORT ([HOST]:PORT for IPv6), for messages: never the password.
    std::string address() const;
};

// Throws BrokerError saying what is wrong (never echoing a password).
RedisUrl parse_redis_url(std::string_view text);

// `text` itself, or for env:NAME the value of the environment variable NAME.
// Throws BrokerError when NAME is not set.
std::string resolve_broker_url(const std::string &text);

}  // namespace nb::host
