#include <algorithm>
#include <cstring>
#include <string>

#include <doctest/doctest.h>

#include "broker/resp_reply.hpp"

using nb::host::BrokerError;
using nb::host::RedisReply;
using nb::host::RedisReplyError;
using nb::host::RespFormatError;
using nb::host::RespReader;

namespace {

// A reader of `bytes`, handed over at most `step` bytes per receive, as a
// socket may; then the peer closes.
RespReader reader_of(const std::string &bytes, std::size_t step) {
    return RespReader([bytes, step, at = std::size_t{0}](char *buffer, std::size_t n) mutable {
        const std::size_t size = std::min({n, step, bytes.size() - at});
        std::memcpy(buffer, bytes.data() + at, size);
        at += size;
        return size;
    });
}

// XREADGROUP's answer: one stream, two entries of two fields.
const std::string kRead =
    "*1\r\n*2\r\n$7\r\nnb:w:hk\r\n*2\r\n"
    "*2\r\n$3\r\n1-0\r\n*4\r\n$4\r\nbody\r\n$5\r\nhe\r\nl\r\n$6\r\nmethod\r\n$4\r\nPOST\r\n"
    "*2\r\n$3\r\n1-1\r\n*2\r\n$4\r\nbody\r\n$0\r\n\r\n";

}  // namespace

TEST_CASE("replies of every RESP2 type read alike whole or a byte at a time") {
    const std::string bytes = "+OK\r\n-NOGROUP no such group\r\n:-42\r\n$-1\r\n*-1\r\n*0\r\n" + kRead;
    for (const std::size_t step : {std::size_t{1}, std::size_t{3}, bytes.size()}) {
        CAPTURE(step);
        RespReader reader = reader_of(bytes, step);
        CHECK(nb::host::bulk(reader.read()) == "OK");
        const RedisReply error = reader.read();
        CHECK(nb::host::is_error(error));
        CHECK(nb::host::error_text(error) == "NOGROUP no such group");
        CHECK_THROWS_AS(nb::host::bulk(error), RedisReplyError);
        CHECK(nb::host::integer(reader.read()) == -42);
        CHECK_FALSE(nb::host::bulk(reader.read()).has_value());
        CHECK(nb::host::count(nb::host::array(reader.read())) == 0);  // nil array
        CHECK(nb::host::count(nb::host::array(reader.read())) == 0);
        const RedisReply read = reader.read();
        const auto &streams = nb::host::array(read);
        REQUIRE(streams.size() == 1);
        const auto &entries = nb::host::array(nb::host::element(nb::host::array(streams[0]), 1));
        REQUIRE(entries.size() == 2);
        const auto &fields = nb::host::array(nb::host::element(nb::host::array(entries[0]), 1));
        CHECK(nb::host::bulk(fields[1]) == "he\r\nl");  // a length, not a line: CRLF inside is data
        CHECK(nb::host::bulk(fields[3]) == "POST");
        CHECK(nb::host::bulk(nb::host::array(entries[1])[1].items[1]) == "");
        CHECK_THROWS_AS(reader.read(), RespFormatError);  // closed
    }
}

TEST_CASE("a bulk string larger than the receive buffer arrives whole") {
    const std::string big(3 * 1024 * 1024 + 7, 'b');
    RespReader reader = reader_of("$" + std::to_string(big.size()) + "\r\n" + big + "\r\n:1\r\n", 70000);
    CHECK(nb::host::bulk(reader.read()) == big);
    CHECK(nb::host::integer(reader.read()) == 1);
}

TEST_CASE("a reply of another type than asked for is an error naming the type") {
    RespReader reader = reader_of(":1\r\n$1\r\nx\r\n", 64);
    const RedisReply one = reader.read();
    CHECK_THROWS_WITH_AS(nb::host::bulk(one), "Redis answered with something other than a string", BrokerError);
    CHECK_THROWS_WITH_AS(nb::host::array(one), "Redis answered with something other than an array", BrokerError);
    CHECK_THROWS_AS(nb::host::element(nb::host::array(RedisReply{}), 0), BrokerError);
    CHECK_THROWS_AS(nb::host::integer(reader.read()), BrokerError);
}

TEST_CASE("what is not RESP is a format error, never a crash or an allocation of its length") {
    const char *broken[] = {
        "?what\r\n",                   // no such type
        "+OK\n",                       // no CR
        "\r\n",                        // an empty line
        ":12a\r\n",                    // not an integer
        "$5\r\nabcdefg\r\n",           // longer than its length
        "$-2\r\n",                     // no such length
        "$9999999999999\r\n",          // past Redis's 512 MiB
        "*99999999999999\r\n",         // past any array
        "$3\r\nab",                    // cut short
    };
    for (const char *bytes : broken) {
        CAPTURE(bytes);
        RespReader reader = reader_of(bytes, 4);
        CHECK_THROWS_AS(reader.read(), RespFormatError);
    }
    RespReader endless = reader_of(std::string(100 * 1024, 'x'), 1 << 20);
    CHECK_THROWS_WITH_AS(endless.read(), "Redis sent a line longer than 64 KiB", RespFormatError);
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "*1\r\n";
    RespReader nested = reader_of(deep + ":1\r\n", 1 << 20);
    CHECK_THROWS_WITH_AS(nested.read(), "Redis sent replies nested too deep", RespFormatError);
}
