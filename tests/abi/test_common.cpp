#include <doctest/doctest.h>

#include <cctype>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#include "abi_guard.hpp"
#include "hex_digit.hpp"
#include "integer.hpp"
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

TEST_CASE("quoted values keep 120 characters at most, then an ellipsis, never cutting inside a character") {
    CHECK(nb::quoted_value(std::string(120, 'a')) == "\"" + std::string(120, 'a') + "\"");
    CHECK(nb::quoted_value(std::string(121, 'a')) == "\"" + std::string(120, 'a') + "\u2026\"");
    // Three bytes each: the cut is after the 120th character, byte 360.
    std::string euros;
    for (int i = 0; i < 121; ++i) euros += "\u20ac";
    CHECK(nb::quoted_value(euros) == "\"" + euros.substr(0, 360) + "\u2026\"");
    // An escape is one character of the value.
    std::string escaped;
    for (int i = 0; i < 120; ++i) escaped += "\\n";
    CHECK(nb::quoted_value(std::string(121, '\n')) == "\"" + escaped + "\u2026\"");
    CHECK(nb::quoted_value("\xFF") == "\"?\"");
}

// The escaping works 8 bytes at a time: escapes at every place in a word,
// several in one word, bytes 0x20 and above next to control bytes, a tail.
TEST_CASE("JSON string literals are the same whatever the escapes' places in a word") {
    for (std::size_t at = 0; at < 19; ++at) {
        std::string text(19, 'x');
        text[at] = '"';
        std::string expected = "\"" + text.substr(0, at) + "\\\"" + text.substr(at + 1) + "\"";
        CHECK(nb::json_string(text) == expected);
    }
    CHECK(nb::json_string("\"\"\"\"\"\"\"\"\\") == R"("\"\"\"\"\"\"\"\"\\")");
    CHECK(nb::json_string("\x1f\x20!\x7f\x80\xff\x0b#\x1fz") == "\"\\u001f !\x7f\x80\xff\\u000b#\\u001fz\"");
    std::string out = "{\"k\":";
    nb::append_json_string(out, "0123456789\n");
    CHECK(out == "{\"k\":\"0123456789\\n\"");
}

#include "descriptor_json.hpp"

TEST_CASE("descriptor JSON has a fixed shape") {
    static const char *const tags[] = {"a", "b"};
    static const nb_socket_desc_t outputs[] = {{"out", NB_SOCKET_TEXT, "the \"out\""}};
    static const char *const choices[] = {"x", "y"};
    static const nb_widget_desc_t widgets[] = {
        {"n", NB_WIDGET_NUMBER, "5", 1, 9, "a number", nullptr, 0},
        {"c", NB_WIDGET_CHOICE, "x", 0, 0, "a choice", choices, 2},
    };
    nb_node_descriptor_t d{};
    d.abi = NB_VERSION_INIT;
    d.id = "test.node";
    d.title = "T";
    d.description = "D";
    d.category = "Test";
    d.version = "1.2.3";
    d.tags = tags;
    d.tag_count = 2;
    d.outputs = outputs;
    d.output_count = 1;
    d.widgets = widgets;
    d.widget_count = 2;
    d.flags = NB_NODE_EVENT_SOURCE;
    CHECK(nb::descriptor_to_json(d) ==
          "{\n"
          "  \"id\": \"test.node\",\n"
          "  \"title\": \"T\",\n"
          "  \"description\": \"D\",\n"
          "  \"category\": \"Test\",\n"
          "  \"version\": \"1.2.3\",\n"
          "  \"tags\": [\"a\", \"b\"],\n"
          "  \"flags\": [\"event_source\"],\n"
          "  \"inputs\": [],\n"
          "  \"outputs\": [\n"
          "    {\"name\": \"out\", \"type\": \"TEXT\", \"description\": \"the \\\"out\\\"\"}\n"
          "  ],\n"
          "  \"widgets\": [\n"
          "    {\"name\": \"n\", \"kind\": \"number\", \"default\": \"5\", \"min\": 1, \"max\": 9, "
          "\"description\": \"a number\"},\n"
          "    {\"name\": \"c\", \"kind\": \"choice\", \"default\": \"x\", \"choices\": [\"x\", \"y\"], "
          "\"description\": \"a choice\"}\n"
          "  ]\n"
          "}\n");
}

TEST_CASE("parse_integer takes plain decimal digits only, the same everywhere") {
    CHECK(nb::parse_integer("0") == 0);
    CHECK(nb::parse_integer("1024") == 1024);
    CHECK(nb::parse_integer("-5") == -5);
    CHECK(nb::parse_integer("9223372036854775807") == INT64_MAX);
    CHECK(nb::parse_integer("007") == 7);
    for (const char *refused : {"", "-", "+12", " 12", "12 ", "\t12", "1,000", "1_000", "0x1a",
                                "1e3", "1.0", "12a", "9223372036854775808"}) {
        CAPTURE(refused);
        CHECK_FALSE(nb::parse_integer(refused));
    }
    CHECK_FALSE(nb::parse_integer("-5", nb::Sign::unsigned_only));
    CHECK(nb::parse_integer("5", nb::Sign::unsigned_only) == 5);
}

TEST_CASE("abi_guard turns every exception into NB_ERR_INTERNAL with its message") {
    std::string recorded;
    const auto fail = [&recorded](nb_status_t status, const char *message) {
        recorded = message;
        return status;
    };
    CHECK(nb::abi_guard([] { return NB_OK; }, fail) == NB_OK);
    CHECK(recorded.empty());
    CHECK(nb::abi_guard([]() -> nb_status_t { throw std::runtime_error("broken"); }, fail) ==
          NB_ERR_INTERNAL);
    CHECK(recorded == "broken");
    CHECK(nb::abi_guard([]() -> nb_status_t { throw std::bad_alloc(); }, fail) ==
          NB_ERR_INTERNAL);
    CHECK(recorded == "out of memory");
    CHECK(nb::abi_guard([]() -> nb_status_t { throw 42; }, fail) == NB_ERR_INTERNAL);
    CHECK(recorded == "a non-standard exception was thrown");
    // A recorder that throws too still leaves a status for the C caller.
    const auto failing = [](nb_status_t, const char *) -> nb_status_t { throw 1; };
    CHECK(nb::abi_guard([]() -> nb_status_t { throw 2; }, failing) == NB_ERR_INTERNAL);
}

TEST_CASE("hex_digit: the value of 0-9, a-f and A-F, -1 for any other byte") {
    static_assert(nb::hex_digit('7') == 7);  // usable in constant expressions
    const std::string digits = "0123456789abcdef";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        CHECK(nb::hex_digit(digits[i]) == static_cast<int>(i));
        CHECK(nb::hex_digit(static_cast<char>(std::toupper(digits[i]))) == static_cast<int>(i));
    }
    int others = 0;
    for (int c = 0; c < 256; ++c) {
        if (std::isxdigit(c)) continue;  // in the C locale: 0-9, a-f, A-F
        CHECK(nb::hex_digit(static_cast<char>(c)) == -1);
        ++others;
    }
    CHECK(others == 256 - 22);
}
