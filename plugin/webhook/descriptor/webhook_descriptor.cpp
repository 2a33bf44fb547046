#include "webhook_descriptor.hpp"

#include "auth/scheme.hpp"
#include "widgets/limits.hpp"

namespace nb::webhook {
namespace {

constexpr const char *kTags[] = {"events",   "webhook",     "http", "server",
                                 "external", "integration", "api"};

constexpr nb_socket_desc_t kOutputs[] = {
    {kOutReceivedData, NB_SOCKET_TEXT, "The request body, byte for byte"},
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
     "Largest accepted request body in bytes; larger bodies are answered 413", nullptr, 0},
    {kWidgetReadTimeout, NB_WIDGET_NUMBER, kDefaultReadTimeout, kMinReadTimeout, kMaxReadTimeout,
     "Seconds a client has for a request head, and may stay silent while sending a body, "
     "before it is cut off (408); nodes sharing a port must agree on it",
     nullptr, 0},
    {kWidgetAuth, NB_WIDGET_CHOICE, kDefaultAuth, 0, 0,
     "How a sender proves itself: none, github (X-Hub-Signature-256), standard-webhooks "
     "(webhook-signature), stripe (Stripe-Signature) or token (Authorization: Bearer); "
     "a failed check is answered 401",
     auth::kSchemeNames, auth::kSchemeCount},
    {kWidgetSecret, NB_WIDGET_TEXT, kDefaultSecret, 0, 0,
     "The shared secret, or env:NAME to read it from the environment when the workflow is "
     "loaded; never shown: reading it back gives \"\", the env:NAME reference or \"***\" "
     "(setting \"***\" keeps the current secret)",
     nullptr, 0},
    {kWidgetTolerance, NB_WIDGET_NUMBER, kDefaultTolerance, kMinTolerance,
     kMaxTolerance,
     "Seconds a signed timestamp may differ from the server's clock, either way "
     "(standard-webhooks, stripe); older or newer deliveries are answered 401",
     nullptr, 0},
    {kWidgetDedupeWindow, NB_WIDGET_NUMBER, kDefaultDedupeWindow,
     kMinDedupeWindow, kMaxDedupeWindow,
     "Seconds a delivery id (webhook-id, X-GitHub-Delivery, Idempotency-Key) is remembered "
     "once accepted; a repeat is answered 200 with \"duplicate\":true and does not run; 0 = off",
     nullptr, 0},
    {kWidgetAllowFrom, NB_WIDGET_TEXT, kDefaultAllowFrom, 0, 0,
     "Comma-separated client addresses and CIDR ranges, IPv4 and IPv6, that may call; others "
     "are answered 403; empty = everyone",
     nullptr, 0},
    {kWidgetBind, NB_WIDGET_TEXT, kDefaultBind, 0, 0,
     "The IPv4 or IPv6 address to listen on, e.g. 127.0.0.1; empty = all interfaces; nodes "
     "sharing a port must agree on it",
     nullptr, 0},
    {kWidgetMethods, NB_WIDGET_TEXT, kDefaultMethods, 0, 0,
     "The HTTP methods that start a run: a comma-separated list of POST, PUT, PATCH, DELETE "
     "and GET (case-sensitive); others are answered 405 with Allow listing these; a GET's "
     "query is in query, its received_data empty",
     nullptr, 0},
    {kWidgetRespond, NB_WIDGET_CHOICE, kDefaultRespond, 0, 0,
     "immediately: 200 {\"status\":\"ok\"} once the host accepted the event; when_finished: "
     "the answer is the run's reply (events.webhook_reply), 200 {\"status\":\"ok\"} when the "
     "run sets none, 500 naming the node when it fails",
     kRespondChoices, sizeof kRespondChoices / sizeof kRespondChoices[0]},
    {kWidgetResponseTimeout, NB_WIDGET_NUMBER, kDefaultResponseTimeout, kMinResponseTimeout,
     kMaxResponseTimeout,
     "Seconds a request waits for its answer: with when_finished, no reply by then is answered "
     "504 and the run goes on",
     nullptr, 0},
    {kWidgetTrustedProxies, NB_WIDGET_TEXT, kDefaultTrustedProxies, 0, 0,
     "Comma-separated addresses and CIDR ranges, IPv4 and IPv6, of the proxies in front of "
     "the node (load balancers): a request from one is taken as from the rightmost "
     "X-Forwarded-For hop not in this list, for allow_from and the event's remote address; "
     "from any other client the header is ignored; empty = no proxy",
     nullptr, 0},
    {kWidgetTlsCert, NB_WIDGET_TEXT, kDefaultTlsCert, 0, 0,
     "PEM certificate chain file (leaf first, e.g. Let's Encrypt's fullchain.pem); when set "
     "the port speaks HTTPS only (TLS 1.2 and 1.3); empty = plain HTTP; nodes sharing a port "
     "must agree on it",
     nullptr, 0},
    {kWidgetTlsKey, NB_WIDGET_TEXT, kDefaultTlsKey, 0, 0,
     "PEM private key file of tls_cert (e.g. privkey.pem), or env:NAME to read its path from "
     "the environment when the workflow is loaded; nodes sharing a port must agree on it",
     nullptr, 0},
    {kWidgetTlsClientCa, NB_WIDGET_TEXT, kDefaultTlsClientCa, 0, 0,
     "PEM CA bundle: when set, clients must present a certificate it signed (mutual TLS), "
     "else the handshake fails; empty = no client certificate asked; nodes sharing a port "
     "must agree on it",
     nullptr, 0},
    {kWidgetTlsReload, NB_WIDGET_NUMBER, kDefaultTlsReload, kMinTlsReload, kMaxTlsReload,
     "Seconds between checks of the TLS files: a changed pair serves new connections without "
     "a restart (open ones keep theirs); a bad one keeps the old pair and is logged; 0 = never",
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
