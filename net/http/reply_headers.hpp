#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nb::net {

// What a reply's own header fields may be. A reply is written by a workflow,
// so none of it is trusted: the node that builds one checks it when it is
// set, and the server that sends it checks it again, with these same rules.

// Why one header field cannot go into a reply.
enum class ReplyHeaderProblem {
    bad_name,        // not an RFC 9110 token (empty, a space, a colon...)
    bad_value,       // a CR, LF or NUL: it would end the field, or the head
    server_managed,  // Content-Length, Transfer-Encoding, Connection, Date, Server:
                     // the server frames the answer and owns the connection
    content_type,    // Content-Type: a reply carries it in a field of its own
};

struct ReplyHeaderIssue {
    ReplyHeaderProblem problem;
    std::string message;  // names the header, e.g. header "Connection" is ...
};

// The problem with the extra header `name: value` of a reply, if any. Names
// are compared without case (RFC 9110 5.1).
std::optional<ReplyHeaderIssue> reply_header_problem(std::string_view name,
                                                     std::string_view value);

// The problem with a reply's content type, if any: empty, or a CR, LF or NUL.
std::optional<std::string> reply_content_type_problem(std::string_view value);

}  // namespace nb::net
