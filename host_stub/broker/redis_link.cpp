#include "redis_link.hpp"

#include <charconv>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>

#include "integer.hpp"

namespace nb::host {
namespace {

constexpr int kMinMajor = 6, kMinMinor = 2;

Poco::Timespan timespan(std::chrono::milliseconds ms) { return Poco::Timespan(ms.count() * 1000); }

// "major.minor" of INFO server's redis_version line.
std::pair<int, int> version_of(const std::string &info, std::string &text) {
    const std::string key = "redis_version:";
    const auto at = info.find(key);
    if (at == std::string::npos) return {0, 0};
    text = info.substr(at + key.size(), info.find_first_of("\r\n", at) - at - key.size());
    const auto dot = text.find('.');
    const auto second = text.find('.', dot + 1);
    if (dot == std::string::npos) return {0, 0};
    const auto major = parse_integer(std::string_view(text).substr(0, dot), Sign::unsigned_only);
    const auto minor = parse_integer(std::string_view(text).substr(dot + 1, second - dot - 1), Sign::unsigned_only);
    return {major ? static_cast<int>(*major) : 0, minor ? static_cast<int>(*minor) : 0};
}

}  // namespace

RedisLink::RedisLink(const RedisUrl &url, std::chrono::milliseconds reply_timeout)
    : address_(url.address()), reader_([this](char *buffer, std::size_t n) {
          return static_cast<std::size_t>(socket_.receiveBytes(buffer, static_cast<int>(n)));
      }) {
    try {
        socket_.connect(Poco::Net::SocketAddress(url.host, url.port), timespan(reply_timeout));
        socket_.setNoDelay(true);
        socket_.setReceiveTimeout(timespan(reply_timeout));
        socket_.setSendTimeout(timespan(reply_timeout));
    } catch (const Poco::Exception &e) {
        throw BrokerLost("cannot reach Redis at " + address_ + ": " + e.displayText());
    }
    if (!url.password.empty()) {
        RedisCommand auth = words({"AUTH"});
        if (!url.user.empty()) auth.add(url.user);
        auth.add(url.password);
        try {
            call(auth);
        } catch (const RedisReplyError &e) {
            const std::string why = e.what();
            if (why.find("without any password configured") != std::string::npos) {
                throw BrokerError("Redis at " + address_ + " has no password set, but the broker URL gives one");
            }
            throw BrokerError("Redis at " + address_ + " refused the password: " + why);
        }
    }
    try {
        if (url.db != 0) call(words({"SELECT", std::to_string(url.db)}));
        check_server();
    } catch (const RedisReplyError &e) {
        const std::string why = e.what();
        if (why.rfind("NOAUTH", 0) == 0) {
            throw BrokerError("Redis at " + address_ + " needs a password: give it in the broker URL, "
                              "redis://:PASSWORD@" + address_ + " (or env:NAME to keep it out of ps)");
        }
        throw BrokerError("Redis at " + address_ + " refused queue mode's setup: " + why);
    }
}

void RedisLink::check_server() {
    const auto info = bulk(call(words({"INFO", "server"})));
    std::string text = "unknown";
    const auto [major, minor] = version_of(info.value_or(""), text);
    if (major < kMinMajor || (major == kMinMajor && minor < kMinMinor)) {
        throw BrokerError("Redis at " + address_ + " is version " + text +
                          "; queue mode needs Redis 6.2 or later (Streams with XAUTOCLAIM)");
    }
}

void RespBatch::number(char marker, std::size_t n) {
    char digits[24];
    digits[0] = marker;
    char *end = std::to_chars(digits + 1, digits + sizeof digits - 2, n).ptr;
    *end++ = '\r';
    *end++ = '\n';
    bytes_.append(digits, end);
}

void RespBatch::command(std::size_t args) {
    number('*', args);
    ++commands_;
}

void RespBatch::arg(std::string_view value) {
    number('$', value.size());
    bytes_.append(value).append("\r\n");
}

void RespBatch::add(const RedisCommand &command) {
    bytes_ += command.toString();
    ++commands_;
}

RedisReply RedisLink::call(const RedisCommand &command) {
    RespBatch batch;
    batch.add(command);
    RedisReply reply = exchange(batch).front();
    if (is_error(reply)) throw RedisReplyError(error_text(reply));
    return reply;
}

std::vector<RedisReply> RedisLink::pipeline(const std::vector<RedisCommand> &commands) {
    RespBatch batch;
    for (const RedisCommand &c : commands) batch.add(c);
    return exchange(batch);
}

std::vector<RedisReply> RedisLink::pipeline(const RespBatch &batch) { return exchange(batch); }

std::vector<RedisReply> RedisLink::exchange(const RespBatch &batch) {
    std::vector<RedisReply> replies;
    replies.reserve(batch.size());
    const std::string &out = batch.bytes();
    try {
        for (std::size_t sent = 0; sent < out.size();) {
            const int n = socket_.sendBytes(out.data() + sent, static_cast<int>(out.size() - sent));
            if (n <= 0) throw Poco::Net::NetException("the connection closed while sending");
            sent += static_cast<std::size_t>(n);
        }
        for (std::size_t i = 0; i < batch.size(); ++i) replies.push_back(reader_.read());
    } catch (const RespFormatError &e) {
        // A broken stream: the link cannot be trusted any more.
        throw BrokerLost(e.what());
    } catch (const Poco::Exception &e) {
        throw BrokerLost(e.displayText());
    }
    return replies;
}

std::string RedisLink::load_script(const char *script) {
    return bulk(call(words({"SCRIPT", "LOAD", script}))).value_or("");
}

RedisCommand words(std::initializer_list<std::string> list) {
    RedisCommand c;
    for (const std::string &word : list) c.add(word);
    return c;
}

}  // namespace nb::host
