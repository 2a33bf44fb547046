// What a connection does with the bytes it receives, without the socket:
// HeadParser on the head (fed in two pieces, as bytes arrive), then
// request_path / request_query, query_json and headers_json, and
// BodyAssembler on what follows, request after request (pipelining).
// The first input byte, part of the request too, picks where pieces split.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/body_assembler.hpp"
#include "http/request_head.hpp"
#include "http/request_json.hpp"
#include "http/request_path.hpp"
#include "utf8.hpp"

namespace {

using nb::net::BodyAssembler;
using nb::net::BodyFraming;
using nb::net::HeadParser;
using nb::net::RequestHead;

constexpr std::uint64_t kMaxBody = 4096;
constexpr int kMaxRequests = 4;  // pipelined requests followed per input

void require(bool invariant) {
    if (!invariant) std::abort();
}

struct Parsed {
    HeadParser::Result result = HeadParser::Result::incomplete;
    std::size_t consumed = 0;
    int status = 0;
    RequestHead head;
};

Parsed parse_whole(std::string_view bytes) {
    HeadParser parser;
    Parsed p;
    p.result = parser.parse(bytes, p.head, p.consumed);
    p.status = parser.status();
    return p;
}

// Whether two parses of one input agree. Only a complete head's `consumed`
// counts: before it, a parser fed pieces may already have dropped the empty
// lines a parser fed everything at once keeps.
bool same(const Parsed &a, const Parsed &b) {
    const RequestHead &x = a.head;
    const RequestHead &y = b.head;
    return a.result == b.result && a.status == b.status &&
           (a.result != HeadParser::Result::complete || a.consumed == b.consumed) &&
           x.method == y.method && x.target == y.target && x.http11 == y.http11 &&
           x.framing == y.framing && x.content_length == y.content_length &&
           x.keep_alive == y.keep_alive && x.expect_continue == y.expect_continue &&
           std::equal(x.headers.begin(), x.headers.end(), y.headers.begin(), y.headers.end());
}

// The head as a connection parses it when its first `split` bytes come
// alone: the same as the whole input at once, except that a first piece
// refused on its own (414 or 431 before the head ends) only rules out a
// complete head.
Parsed parse_head(std::string_view input, std::size_t split) {
    const Parsed whole = parse_whole(input);
    require(whole.consumed <= input.size());
    if (whole.result == HeadParser::Result::bad) {
        require(whole.status == 400 || whole.status == 414 || whole.status == 431 ||
                whole.status == 505);
    }
    HeadParser parser;
    Parsed pieces;
    pieces.result = parser.parse(input.substr(0, split), pieces.head, pieces.consumed);
    if (pieces.result == HeadParser::Result::bad) {
        require(whole.result != HeadParser::Result::complete);
        return whole;
    }
    if (pieces.result == HeadParser::Result::incomplete) {
        // A connection drops the empty lines consumed and waits for more.
        std::size_t more = 0;
        pieces.result = parser.parse(input.substr(pieces.consumed), pieces.head, more);
        pieces.consumed += more;
    }
    pieces.status = parser.status();
    require(same(pieces, whole));
    return whole;
}

// The body after `head`, fed in two pieces split at `split`: how many bytes
// it took, and whether it is complete.
std::size_t assemble_body(const RequestHead &head, std::string_view rest, std::size_t split,
                          bool &complete) {
    BodyAssembler body(head, kMaxBody);
    std::size_t taken = 0;
    BodyAssembler::Result result = BodyAssembler::Result::more;
    for (const std::size_t end : {split, rest.size()}) {
        std::size_t n = 0;
        const std::string_view piece = rest.substr(taken, end - taken);
        result = body.feed(piece, n);
        require(n <= piece.size());
        taken += n;
        if (result != BodyAssembler::Result::more) break;
        require(n == piece.size());  // more: it took all it was given
    }
    require(body.body().size() <= taken);  // body bytes only come from the input
    require(body.body().size() <= kMaxBody);
    if (result == BodyAssembler::Result::too_large && head.framing == BodyFraming::length) {
        require(head.content_length > kMaxBody && taken == 0);  // refused before reading
    }
    complete = result == BodyAssembler::Result::complete;
    if (complete && head.framing == BodyFraming::length) {
        require(body.body().size() == head.content_length);
    }
    if (complete && head.framing == BodyFraming::none) require(taken == 0);
    return taken;
}

// Where, in 255ths of `size`, the pieces split.
std::size_t split_at(std::size_t size, unsigned cut) { return size * cut / 255; }

// One request at the start of `input`; the bytes it used, 0 when the
// connection would stop or wait here.
std::size_t one_request(std::string_view input, unsigned cut) {
    const Parsed parsed = parse_head(input, split_at(input.size(), cut));
    if (parsed.result != HeadParser::Result::complete) return 0;
    require(parsed.consumed > 0);
    const std::string &target = parsed.head.target;
    require(nb::net::request_path(target).size() <= target.size());
    const nb::net::QueryJson query =
        nb::net::query_json(nb::net::request_query(target));
    if (query.error == nb::net::QueryJson::Error::none) {
        require(nb::is_valid_utf8(query.json));
    } else {
        require(query.json.empty());
    }
    require(nb::is_valid_utf8(nb::net::headers_json(parsed.head.headers)));

    const std::string_view rest = input.substr(parsed.consumed);
    bool complete = false;
    const std::size_t taken =
        assemble_body(parsed.head, rest, split_at(rest.size(), cut), complete);
    require(taken <= rest.size());
    return complete ? parsed.consumed + taken : 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char *>(data), size);
    const unsigned cut = size > 0 ? data[0] : 0;
    for (int i = 0; i < kMaxRequests && !rest.empty(); ++i) {
        const std::size_t used = one_request(rest, cut);
        if (used == 0) break;
        rest.remove_prefix(used);
    }
    return 0;
}
