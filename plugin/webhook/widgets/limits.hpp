#pragma once

#include <cstdint>

// Names, defaults and bounds of the webhook widgets: one place shared by the
// descriptor (what a host shows) and the validation (what set_widget accepts).
namespace nb::webhook {

inline constexpr const char *kWidgetPort = "port";
inline constexpr const char *kWidgetPath = "path";
inline constexpr const char *kWidgetMaxBody = "max_body_bytes";
inline constexpr const char *kWidgetReadTimeout = "read_timeout_s";

inline constexpr const char *kDefaultPort = "8181";
inline constexpr const char *kDefaultPath = "/webhook";
inline constexpr const char *kDefaultMaxBody = "1048576";
inline constexpr const char *kDefaultReadTimeout = "10";

inline constexpr std::int64_t kMinPort = 1024;
inline constexpr std::int64_t kMaxPort = 65535;
inline constexpr std::int64_t kMinMaxBody = 0;
inline constexpr std::int64_t kMaxMaxBody = std::int64_t{1} << 30;  // 1 GiB
inline constexpr std::int64_t kMinReadTimeout = 1;
inline constexpr std::int64_t kMaxReadTimeout = 3600;

}  // namespace nb::webhook
