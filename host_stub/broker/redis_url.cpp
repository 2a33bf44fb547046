#include "redis_url.hpp"

#include <cstdlib>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "integer.hpp"

namespace nb::host {
namespace {

constexpr unsigned kMaxDb = 1000000;

}  // namespace

std::string RedisUrl::address() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

RedisUrl parse_redis_url(std::string_view text) {
    const std::string shape = "a broker URL is redis://[:PASSWORD@]HOST[:PORT][/DB] or env:NAME";
    if (text.rfind("redis://", 0) != 0) throw BrokerError(shape + " (it must start with redis://)");
    Poco::URI uri;
    try {
        uri = Poco::URI(std::string(text));
    } catch (const Poco::Exception &) {
        // Poco's message would quote the URL, password and all.
        throw BrokerError(shape + " (this one does not parse as a URL)");
    }
    RedisUrl url;
    url.host = uri.getHost();
    if (url.host.empty()) throw BrokerError(shape + " (the HOST is missing)");
    if (uri.getPort() != 0) url.port = uri.getPort();
    const std::string &info = uri.getUserInfo();
    const auto colon = info.find(':');
    if (colon == std::string::npos) {
        if (!info.empty()) throw BrokerError(shape + " (a password follows a ':' before the '@')");
    } else {
        // Percent-encoded, so that a password may hold '@', ':' or '/'.
        Poco::URI::decode(info.substr(0, colon), url.user);
        Poco::URI::decode(info.substr(colon + 1), url.password);
    }
    std::string path = uri.getPath();
    if (!uri.getQuery().empty() || !uri.getFragment().empty()) {
        throw BrokerError(shape + " (no ?query or #fragment)");
    }
    if (!path.empty() && path != "/") {
        const auto db = parse_integer(std::string_view(path).substr(1), Sign::unsigned_only);
        if (!db || *db > kMaxDb) throw BrokerError(shape + " (DB is a database number, got \"" + path.substr(1) + "\")");
        url.db = static_cast<unsigned>(*db);
    }
    return url;
}

std::string resolve_broker_url(const std::string &text) {
    if (text.rfind("env:", 0) != 0) return text;
    const std::string name = text.substr(4);
    const char *value = name.empty() ? nullptr : std::getenv(name.c_str());
    if (!value) throw BrokerError("--broker " + text + ": the environment variable " + name + " is not set");
    return value;
}

}  // namespace nb::host
