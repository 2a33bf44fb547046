#include "reply_answer.hpp"

#include <string>

#include "http/reply_headers.hpp"

namespace nb::webhook {
namespace {

net::Answer bad_reply(const std::string &why) {
    return net::error_answer(500, "the workflow's reply cannot be sent: " + why);
}

}  // namespace

net::Answer reply_answer(const nb_reply_t &reply) {
    if (reply.status < 200 || reply.status > 599) {
        return bad_reply("status " + std::to_string(reply.status) + " is outside 200-599");
    }
    net::Answer answer;
    answer.status = static_cast<int>(reply.status);
    if (reply.content_type) {
        if (auto problem = net::reply_content_type_problem(reply.content_type)) {
            return bad_reply(*problem);
        }
        answer.content_type = reply.content_type;
    }
    for (std::uint32_t i = 0; i < reply.header_count && reply.headers; ++i) {
        const nb_header_field_t &field = reply.headers[i];
        if (!field.name || !field.value) return bad_reply("a header without a name or value");
        if (auto issue = net::reply_header_problem(field.name, field.value)) {
            return bad_reply(issue->message);
        }
        answer.extra_headers.append(field.name).append(": ").append(field.value).append("\r\n");
    }
    if (reply.body) answer.body.assign(reply.body, reply.body_len);
    return answer;
}

}  // namespace nb::webhook
