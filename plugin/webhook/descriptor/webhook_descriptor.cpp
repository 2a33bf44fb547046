#include "webhook_descriptor.hpp"

#include "widgets/limits.hpp"

namespace nb::webhook {
namespace {

constexpr const char *kTags[] = {"events",   "webhook",     "http", "server",
                                 "external", "integration", "api"};

constexpr nb_socket_desc_t kOutputs[] = {
    {kOutReceivedData, NB_SOCKET_TEXT, "The POST request body, byte for byte"},
    {kOutHeaders, NB_SOCKET_TEXT,
     "JSON object of the request headers: lower-cased name -> value"},
    {kOutQuery, NB_SOCKET_TEXT, "JSON object of the query string parameters"},
};

constexpr nb_widget_desc_t kWidgets[] = {
    {kWidgetPort, NB_WIDGET_NUMBER, kDefaultPort, kMinPort, kMaxPort,
     "The HTTP server port; webhook nodes on the same port share one server", nullptr, 0},
    {kWidgetPath, NB_WIDGET_TEXT, kDefaultPath, 0, 0,
     "The endpoint path, starting with \"/\"; matched exactly and case-sensitively", nullptr,
     0},
    {kWidgetMaxBody, NB_WIDGET_NUMBER, kDefaultMaxBody, kMinMaxBody, kMaxMaxBody,
     "Largest accepted POST body in bytes; larger bodies are answered 413", nullptr, 0},
    {kWidgetReadTimeout, NB_WIDGET_NUMBER, kDefaultReadTimeout, kMinReadTimeout, kMaxReadTimeout,
     "Seconds a client may stay silent while sending a request before it is cut off (408); "
     "nodes sharing a port must agree on it",
     nullptr, 0},
};

constexpr nb_node_descriptor_t kDescriptor = {
    NB_VERSION_INIT,
    kNodeType,
    "Webhook Node",
    "HTTP server event node that triggers workflows from external POST requests",
    "Events",
    "1.0.0",
    kTags,
    sizeof kTags / sizeof kTags[0],
    nullptr,
    0,
    kOutputs,
    sizeof kOutputs / sizeof kOutputs[0],
    kWidgets,
    sizeof kWidgets / sizeof kWidgets[0],
    NB_NODE_EVENT_SOURCE,
};

}  // namespace

const nb_node_descriptor_t &webhook_descriptor() noexcept { return kDescriptor; }

}  // namespace nb::webhook
