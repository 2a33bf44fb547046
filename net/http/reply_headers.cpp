#include "reply_headers.hpp"

#include "header_fields.hpp"
#include "json_text.hpp"
#include "token.hpp"

namespace nb::net {
namespace {

// Fields the server writes itself (responses.cpp): a second copy from a
// reply would contradict the framing or the connection handling.
constexpr std::string_view kServerManaged[] = {"Content-Length", "Transfer-Encoding",
                                               "Connection", "Date", "Server"};

// RFC 9110 5.5: a CR or LF would end the field early (response splitting);
// a NUL ends it for C readers.
bool has_line_break_or_nul(std::string_view value) noexcept {
    return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

std::optional<ReplyHeaderIssue> reply_header_problem(std::string_view name,
                                                     std::string_view value) {
    if (!is_token(name)) {
        return ReplyHeaderIssue{ReplyHeaderProblem::bad_name,
                                "header name " + quoted_value(name) +
                                    " is not an HTTP token (letters, digits and "
                                    "!#$%&'*+-.^_`|~, at least one)"};
    }
    for (const std::string_view managed : kServerManaged) {
        if (iequals(name, managed)) {
            return ReplyHeaderIssue{ReplyHeaderProblem::server_managed,
                                    "header " + quoted_value(name) +
                                        " is written by the server; a reply cannot set it"};
        }
    }
    if (iequals(name, "Content-Type")) {
        return ReplyHeaderIssue{ReplyHeaderProblem::content_type,
                                "header " + quoted_value(name) +
                                    " is not an extra header: a reply has a content type of "
                                    "its own"};
    }
    if (has_line_break_or_nul(value)) {
        return ReplyHeaderIssue{ReplyHeaderProblem::bad_value,
                                "the value of header " + quoted_value(name) +
                                    " holds a CR, LF or NUL"};
    }
    return std::nullopt;
}

std::optional<std::string> reply_content_type_problem(std::string_view value) {
    if (value.empty()) return "a content type cannot be empty";
    if (has_line_break_or_nul(value)) {
        return "a content type cannot hold a CR, LF or NUL, got " + quoted_value(value);
    }
    return std::nullopt;
}

}  // namespace nb::net
