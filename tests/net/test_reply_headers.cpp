#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "http/reply_headers.hpp"
#include "http/token.hpp"

using namespace nb::net;

TEST_CASE("a token is one or more tchar (RFC 9110 5.6.2)") {
    CHECK(is_token("X-Request-Id"));
    CHECK(is_token("!#$%&'*+-.^_`|~09azAZ"));
    for (const char *bad : {"", "X Y", "X:Y", "X\tY", "X\"Y", "(X)", "X/Y", "X@Y", "\xc3\xa9"}) {
        CAPTURE(bad);
        CHECK_FALSE(is_token(bad));
    }
    CHECK_FALSE(is_token(std::string("X\0Y", 3)));
}

TEST_CASE("a reply may carry ordinary headers, with any bytes but CR, LF and NUL in values") {
    CHECK_FALSE(reply_header_problem("X-Request-Id", "42"));
    CHECK_FALSE(reply_header_problem("Cache-Control", "no-store, max-age=0"));
    CHECK_FALSE(reply_header_problem("Location", ""));
    CHECK_FALSE(reply_header_problem("X-Name", "caf\xc3\xa9\ttab"));
}

TEST_CASE("the fields the server writes, and Content-Type, are refused in any case, naming it") {
    constexpr auto managed = ReplyHeaderProblem::server_managed;
    constexpr auto content_type = ReplyHeaderProblem::content_type;
    const std::pair<const char *, ReplyHeaderProblem> cases[] = {
        {"Content-Length", managed}, {"content-length", managed},
        {"Transfer-Encoding", managed}, {"TRANSFER-ENCODING", managed},
        {"Connection", managed}, {"connection", managed},
        {"Date", managed}, {"dAtE", managed},
        {"Server", managed}, {"SERVER", managed},
        // a reply carries it in a field of its own
        {"Content-Type", content_type}, {"content-type", content_type},
        {"CONTENT-TYPE", content_type},
    };
    for (const auto &[name, problem] : cases) {
        CAPTURE(name);
        const auto issue = reply_header_problem(name, "x");
        REQUIRE(issue);
        CHECK(issue->problem == problem);
        CHECK(issue->message.find(std::string("\"") + name + "\"") != std::string::npos);
    }
}

TEST_CASE("names that are not tokens and values with CR, LF or NUL are refused") {
    for (const char *name : {"", "X Y", "X:Y", "X\r\nY"}) {
        CAPTURE(name);
        const auto issue = reply_header_problem(name, "1");
        REQUIRE(issue);
        CHECK(issue->problem == ReplyHeaderProblem::bad_name);
        CHECK(issue->message.find("is not an HTTP token") != std::string::npos);
    }
    for (const std::string &value : {std::string("1\r\nX-Evil: 2"), std::string("1\n"),
                                    std::string("a\rb"), std::string("a\0b", 3)}) {
        CAPTURE(value);
        const auto issue = reply_header_problem("X-A", value);
        REQUIRE(issue);
        CHECK(issue->problem == ReplyHeaderProblem::bad_value);
        CHECK(issue->message == "the value of header \"X-A\" holds a CR, LF or NUL");
    }
}

TEST_CASE("a reply's content type is not empty and holds no CR, LF or NUL") {
    CHECK_FALSE(reply_content_type_problem("application/json"));
    CHECK_FALSE(reply_content_type_problem("text/plain; charset=utf-8"));
    CHECK(reply_content_type_problem(""));
    CHECK(reply_content_type_problem("text/plain\r\nX-Evil: 1"));
    CHECK(reply_content_type_problem("text/plain\n"));
    CHECK(reply_content_type_problem(std::string("text\0plain", 10)));
}
