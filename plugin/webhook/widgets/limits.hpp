#pragma once

#include <cstdint>

// Names, defaults and bounds of the webhook widgets: one place shared by the
// descriptor (what a host shows) and the validation (what set_widget accepts).
namespace nb::webhook {

inline constexpr const char *kWidgetPort = "port";
inline constexpr const char *kWidgetPath = "path";
inline constexpr const char *kWidgetMaxBody = "max_body_bytes";
inline constexpr const char *kWidgetReadTimeout = "read_timeout_s";
inline constexpr const char *kWidgetMethods = "methods";
inline constexpr const char *kWidgetRespond = "respond";
inline constexpr const char *kWidgetResponseTimeout = "response_timeout_s";

inline constexpr const char *kDefaultPort = "8181";
inline constexpr const char *kDefaultPath = "/webhook";
inline constexpr const char *kDefaultMaxBody = "1048576";
inline constexpr const char *kDefaultReadTimeout = "10";
inline constexpr const char *kDefaultMethods = "POST";
inline constexpr const char *kDefaultRespond = "immediately";
inline constexpr const char *kDefaultResponseTimeout = "30";

// The `respond` widget's choices, indexed by Respond.
enum class Respond { immediately, when_finished };
inline constexpr const char *kRespondChoices[] = {"immediately", "when_finished"};

// The methods `methods` may list, in the order get_widget shows them (HEAD is
// not one: it never starts a run).
inline constexpr const char *kMethodNames[] = {"POST", "PUT", "PATCH", "DELETE", "GET"};
inline constexpr const char *kMethodNamesText = "POST, PUT, PATCH, DELETE, GET";

inline constexpr std::int64_t kMinPort = 1024;
inline constexpr std::int64_t kMaxPort = 65535;
inline constexpr std::int64_t kMinMaxBody = 0;
inline constexpr std::int64_t kMaxMaxBody = std::int64_t{1} << 30;  // 1 GiB
inline constexpr std::int64_t kMinReadTimeout = 1;
inline constexpr std::int64_t kMaxReadTimeout = 3600;
inline constexpr std::int64_t kMinResponseTimeout = 1;
inline constexpr std::int64_t kMaxResponseTimeout = 300;

// The widgets of verified senders (AccessSettings). Each default keeps the
// seed's open behaviour.
inline constexpr const char *kWidgetAuth = "auth";
inline constexpr const char *kWidgetSecret = "secret";
inline constexpr const char *kWidgetTolerance = "tolerance_s";
inline constexpr const char *kWidgetDedupeWindow = "dedupe_window_s";
inline constexpr const char *kWidgetAllowFrom = "allow_from";
inline constexpr const char *kWidgetBind = "bind";
inline constexpr const char *kWidgetTrustedProxies = "trusted_proxies";

inline constexpr const char *kDefaultAuth = "none";
inline constexpr const char *kDefaultSecret = "";
inline constexpr const char *kDefaultTolerance = "300";
inline constexpr const char *kDefaultDedupeWindow = "0";
inline constexpr const char *kDefaultAllowFrom = "";
inline constexpr const char *kDefaultBind = "";
inline constexpr const char *kDefaultTrustedProxies = "";

// What get_widget("secret") shows for a literal secret: never the secret.
inline constexpr const char *kSecretMask = "***";

// HTTPS (TlsSettings): one value per port, as bind and read_timeout_s.
inline constexpr const char *kWidgetTlsCert = "tls_cert";
inline constexpr const char *kWidgetTlsKey = "tls_key";
inline constexpr const char *kWidgetTlsClientCa = "tls_client_ca";
inline constexpr const char *kWidgetTlsReload = "tls_reload_s";

inline constexpr const char *kDefaultTlsCert = "";
inline constexpr const char *kDefaultTlsKey = "";
inline constexpr const char *kDefaultTlsClientCa = "";
inline constexpr const char *kDefaultTlsReload = "60";

inline constexpr std::int64_t kMinTlsReload = 0;
inline constexpr std::int64_t kMaxTlsReload = 86400;

inline constexpr std::int64_t kMinTolerance = 1;
inline constexpr std::int64_t kMaxTolerance = 86400;
inline constexpr std::int64_t kMinDedupeWindow = 0;
inline constexpr std::int64_t kMaxDedupeWindow = 7 * 86400;

}  // namespace nb::webhook
