#include <doctest/doctest.h>

#include <string>

#include "json_text.hpp"
#include "utf8.hpp"

TEST_CASE("UTF-8 validation accepts valid text of every length") {
    CHECK(nb::is_valid_utf8(""));
    CHECK(nb::is_valid_utf8("hello, world: a long ASCII run to hit the fast path"));
    CHECK(nb::is_valid_utf8("caf\xC3\xA9"));
    CHECK(nb::is_valid_utf8("\xE2\x82\xAC and \xF0\x9F\x98\x80"));
    CHECK(nb::is_valid_utf8(std::string("a\0b", 3)));
    CHECK(nb::is_valid_utf8("\xF4\x8F\xBF\xBF"));
}

TEST_CASE("UTF-8 validation refuses malformed text") {
    CHECK_FALSE(nb::is_valid_utf8("\xC3"));               // truncated
    CHECK_FALSE(nb::is_valid_utf8("abcdefgh\xC3"));       // truncated after fast path
    CHECK_FALSE(nb::is_valid_utf8("\xC0\xAF"));           // overlong
    CHECK_FALSE(nb::is_valid_utf8("\xE0\x80\xAF"));       // overlong
    CHECK_FALSE(nb::is_valid_utf8("\xED\xA0\x80"));       // surrogate
    CHECK_FALSE(nb::is_valid_utf8("\xF4\x90\x80\x80"));   // past U+10FFFF
    CHECK_FALSE(nb::is_valid_utf8("\xFF"));
    CHECK_FALSE(nb::is_valid_utf8("\x80"));               // lone continuation
    CHECK_FALSE(nb::is_valid_utf8("\xE2\x28\xA1"));       // bad continuation
}

TEST_CASE("JSON string literals escape quotes, backslashes and control bytes") {
    CHECK(nb::json_string("plain") == "\"plain\"");
    CHECK(nb::json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(nb::json_string("l1\nl2\t\r") == "\"l1\\nl2\\t\\r\"");
    CHECK(nb::json_string(std::string("\x01\0", 2)) == "\"\\u0001\\u0000\"");
    CHECK(nb::json_string("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
}
