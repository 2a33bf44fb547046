#include "reply_copy.hpp"

namespace nb::host {

bool ReplyCopy::well_formed(const nb_reply_t &reply) {
    if (!nb_version_is_compatible(reply.abi) || reply.status < 200 || reply.status > 599) return false;
    if (reply.header_count > 0 && !reply.headers) return false;
    if (reply.body_len > 0 && !reply.body) return false;
    for (uint32_t i = 0; i < reply.header_count; ++i) {
        if (!reply.headers[i].name || !reply.headers[i].value) return false;
    }
    return true;
}

ReplyCopy::ReplyCopy(const nb_reply_t &reply)
    : body_(reply.body_len > 0 ? std::string(reply.body, reply.body_len) : std::string()) {
    if (reply.content_type) content_type_.emplace(reply.content_type);
    header_text_.reserve(reply.header_count);
    for (uint32_t i = 0; i < reply.header_count; ++i) {
        header_text_.emplace_back(reply.headers[i].name, reply.headers[i].value);
    }
    headers_.reserve(header_text_.size());
    for (const auto &[name, value] : header_text_) headers_.push_back({name.c_str(), value.c_str()});
    view_ = {NB_VERSION_INIT,
             reply.status,
             content_type_ ? content_type_->c_str() : nullptr,
             headers_.empty() ? nullptr : headers_.data(),
             static_cast<uint32_t>(headers_.size()),
             body_.empty() ? nullptr : body_.data(),
             body_.size()};
}

}  // namespace nb::host
