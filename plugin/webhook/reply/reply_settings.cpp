#include "reply_settings.hpp"

#include "http/reply_headers.hpp"
#include "reply_limits.hpp"
#include "widgets/validate.hpp"

namespace nb::webhook {

ReplySettings::ReplySettings() {
    std::string unused;
    set(kReplyWidgetStatus, kReplyDefaultStatus, unused);
    set(kReplyWidgetContentType, kReplyDefaultContentType, unused);
    set(kReplyWidgetHeaders, kReplyDefaultHeaders, unused);
}

nb_status_t ReplySettings::set(std::string_view name, const char *value, std::string &error) {
    if (name != kReplyWidgetStatus && name != kReplyWidgetContentType &&
        name != kReplyWidgetHeaders) {
        error = "unknown widget \"" + std::string(name) +
                "\"; the webhook reply has status, content_type and headers";
        return NB_ERR_UNKNOWN;
    }
    if (!value) {
        error = std::string(name) + " needs a value, got none";
        return NB_ERR_INVALID;
    }
    const std::string_view text(value);
    if (name == kReplyWidgetStatus) {
        const auto parsed =
            parse_integer_widget(name, text, kReplyMinStatus, kReplyMaxStatus, error);
        if (!parsed) return NB_ERR_INVALID;
        status_ = static_cast<std::uint32_t>(*parsed);
        status_text_ = std::to_string(*parsed);
        return NB_OK;
    }
    if (name == kReplyWidgetContentType) {
        if (const auto problem = net::reply_content_type_problem(text)) {
            error = std::string(name) + ": " + *problem;
            return NB_ERR_INVALID;
        }
        content_type_ = text;
        return NB_OK;
    }
    auto headers = HeaderList::parse(text, error);
    if (!headers) return NB_ERR_INVALID;
    headers_ = std::move(*headers);
    return NB_OK;
}

const char *ReplySettings::get(std::string_view name) const noexcept {
    if (name == kReplyWidgetStatus) return status_text_.c_str();
    if (name == kReplyWidgetContentType) return content_type_.c_str();
    if (name == kReplyWidgetHeaders) return headers_.text().c_str();
    return nullptr;
}

}  // namespace nb::webhook
