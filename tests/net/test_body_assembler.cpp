// BodyAssembler: one request's body out of bytes split any way, never more
// than its limit and never a byte past the body's end.
#include <doctest/doctest.h>

#include <string>

#include "http/body_assembler.hpp"

using namespace nb::net;
using Result = BodyAssembler::Result;

namespace {

RequestHead framed(BodyFraming framing, std::uint64_t content_length = 0) {
    RequestHead head;
    head.framing = framing;
    head.content_length = content_length;
    return head;
}

struct Fed {
    Result result = Result::more;
    std::size_t taken = 0;  // over every feed
};

// Feeds `bytes` in pieces of `piece` bytes until the assembler is done or the
// bytes run out; each piece starts where the last one's taken bytes ended.
Fed feed_pieces(BodyAssembler &body, const std::string &bytes, std::size_t piece) {
    Fed fed;
    while (fed.taken < bytes.size()) {
        std::size_t taken = 0;
        fed.result = body.feed(std::string_view(bytes).substr(fed.taken, piece), taken);
        fed.taken += taken;
        if (fed.result != Result::more) break;
        REQUIRE(taken == std::min(piece, bytes.size() - (fed.taken - taken)));
    }
    return fed;
}

const std::string kChunked = "5\r\nhello\r\n6;name=v\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
const std::string kNext = "POST /webhook HTTP/1.1\r\nContent-Length: 1\r\n\r\nx";

}  // namespace

TEST_CASE("no framing: complete at once, taking nothing") {
    BodyAssembler body(framed(BodyFraming::none), 100);
    std::size_t taken = 99;
    CHECK(body.feed(kNext, taken) == Result::complete);
    CHECK(taken == 0);
    CHECK(body.body().empty());
}

TEST_CASE("Content-Length: fed in pieces, and no byte past the body is taken") {
    BodyAssembler body(framed(BodyFraming::length, 10), 100);
    std::size_t taken = 0;
    CHECK(body.feed("", taken) == Result::more);
    CHECK(taken == 0);
    CHECK(body.feed("0123", taken) == Result::more);
    CHECK(taken == 4);
    CHECK(body.feed("456789" + kNext, taken) == Result::complete);
    CHECK(taken == 6);
    CHECK(body.body() == "0123456789");

    BodyAssembler empty(framed(BodyFraming::length, 0), 100);
    CHECK(empty.feed(kNext, taken) == Result::complete);
    CHECK(taken == 0);
}

TEST_CASE("Content-Length over the limit is too_large before any byte is taken") {
    BodyAssembler over(framed(BodyFraming::length, 101), 100);
    std::size_t taken = 99;
    CHECK(over.feed(std::string(101, 'x'), taken) == Result::too_large);
    CHECK(taken == 0);
    CHECK(over.body().empty());

    BodyAssembler at_limit(framed(BodyFraming::length, 100), 100);
    CHECK(at_limit.feed(std::string(100, 'x'), taken) == Result::complete);
    CHECK(taken == 100);
}

TEST_CASE("chunked: however the bytes are split, the same body and nothing past it") {
    for (const std::size_t piece : {std::size_t(1), std::size_t(2), std::size_t(7),
                                    kChunked.size(), kChunked.size() + kNext.size()}) {
        CAPTURE(piece);
        BodyAssembler body(framed(BodyFraming::chunked), 100);
        const Fed fed = feed_pieces(body, kChunked + kNext, piece);
        CHECK(fed.result == Result::complete);
        CHECK(fed.taken == kChunked.size());
        CHECK(body.body() == "hello world");
    }
}

TEST_CASE("chunked over the limit: too_large once a chunk size announces it") {
    BodyAssembler body(framed(BodyFraming::chunked), 10);
    const std::string announced = "5\r\nhello\r\n6\r\n";
    std::size_t taken = 0;
    CHECK(body.feed(announced + "world!\r\n0\r\n\r\n", taken) == Result::too_large);
    CHECK(taken == announced.size());  // no byte of the chunk that crosses it
    CHECK(body.body() == "hello");

    // The size line arriving alone is enough.
    BodyAssembler alone(framed(BodyFraming::chunked), 10);
    CHECK(feed_pieces(alone, "b\r\n", 1).result == Result::too_large);

    BodyAssembler at_limit(framed(BodyFraming::chunked), 11);
    CHECK(feed_pieces(at_limit, kChunked, 3).result == Result::complete);
    CHECK(at_limit.body() == "hello world");
}

TEST_CASE("a malformed chunked body is malformed") {
    for (const std::string &bad : {std::string("zz\r\nhello\r\n0\r\n\r\n"),
                                   std::string("5\r\nhelloXX0\r\n\r\n"),
                                   std::string("5\nhello\r\n0\r\n\r\n"),
                                   std::string("10000000000000005\r\nhello\r\n0\r\n\r\n")}) {
        CAPTURE(bad);
        BodyAssembler body(framed(BodyFraming::chunked), 100);
        CHECK(feed_pieces(body, bad, bad.size()).result == Result::malformed);
    }
}

TEST_CASE("chunk extensions: 4 KiB per chunk and 16 KiB per body, else malformed") {
    // A 1-byte chunk whose extension (after the ';') is `n` bytes long.
    const auto chunk = [](std::size_t n) { return "1;" + std::string(n, 'e') + "\r\nx\r\n"; };
    const auto fed = [](const std::string &bytes) {
        BodyAssembler body(framed(BodyFraming::chunked), 1000);
        const Fed f = feed_pieces(body, bytes, 4096);
        return f.result;
    };
    CHECK(fed(chunk(4096) + "0\r\n\r\n") == Result::complete);
    CHECK(fed(chunk(4097) + "0\r\n\r\n") == Result::malformed);

    // Four chunks at the per-chunk limit reach the body's; one more byte,
    // in a chunk or in the last one's extension, is over it.
    std::string at_limit;
    for (int i = 0; i < 4; ++i) at_limit += chunk(4096);
    CHECK(fed(at_limit + "0\r\n\r\n") == Result::complete);
    CHECK(fed(at_limit + chunk(1) + "0\r\n\r\n") == Result::malformed);
    CHECK(fed(at_limit + "0;e\r\n\r\n") == Result::malformed);

    // Many 1-byte chunks, each with an extension under the per-chunk limit:
    // framing that dwarfs the data is refused once it passes 16 KiB.
    std::string many;
    for (int i = 0; i < 100; ++i) many += chunk(1000);
    many += "0\r\n\r\n";
    BodyAssembler body(framed(BodyFraming::chunked), 1000);
    const Fed f = feed_pieces(body, many, many.size());
    CHECK(f.result == Result::malformed);
    CHECK(body.body().size() == 16);  // refused in the 17th chunk's extension
}
