#include "reply_descriptor.hpp"

#include "reply_limits.hpp"

namespace nb::webhook {
namespace {

constexpr const char *kTags[] = {"events", "webhook", "http", "reply", "response", "api"};

constexpr nb_socket_desc_t kInputs[] = {
    {kReplyInBody, NB_SOCKET_TEXT, "The answer's body, sent byte for byte; none: an empty body"},
};

constexpr nb_widget_desc_t kWidgets[] = {
    {kReplyWidgetStatus, NB_WIDGET_NUMBER, kReplyDefaultStatus, kReplyMinStatus,
     kReplyMaxStatus, "The answer's HTTP status", nullptr, 0},
    {kReplyWidgetContentType, NB_WIDGET_TEXT, kReplyDefaultContentType, 0, 0,
     "The answer's Content-Type; not empty, no CR, LF or NUL", nullptr, 0},
    {kReplyWidgetHeaders, NB_WIDGET_TEXT, kReplyDefaultHeaders, 0, 0,
     "Extra answer headers, a JSON object of name -> string value, e.g. "
     "{\"X-Request-Id\":\"42\"}; never Content-Type (see content_type), Content-Length, "
     "Transfer-Encoding, Connection, Date or Server",
     nullptr, 0},
};

constexpr nb_node_descriptor_t kDescriptor = {
    NB_VERSION_INIT,
    kReplyNodeType,
    "Webhook Reply",
    "Sets the HTTP answer of the webhook request that started the run, when that webhook "
    "waits for its run (respond=when_finished); the first reply of a run wins",
    "Events",
    "1.0.0",
    kTags,
    sizeof kTags / sizeof kTags[0],
    kInputs,
    sizeof kInputs / sizeof kInputs[0],
    nullptr,
    0,
    kWidgets,
    sizeof kWidgets / sizeof kWidgets[0],
    0,
};

}  // namespace

const nb_node_descriptor_t &reply_descriptor() noexcept { return kDescriptor; }

}  // namespace nb::webhook
