#pragma once

#include <cstdint>

// Names, defaults and bounds of the widgets of verified senders,
// shared by the descriptor and AccessSettings. Each default keeps the seed's
// open behaviour.
namespace nb::webhook {

inline constexpr const char *kWidgetAuth = "auth";
inline constexpr const char *kWidgetSecret = "secret";
inline constexpr const char *kWidgetTolerance = "tolerance_s";
inline constexpr const char *kWidgetDedupeWindow = "dedupe_window_s";
inline constexpr const char *kWidgetAllowFrom = "allow_from";
inline constexpr const char *kWidgetBind = "bind";

inline constexpr const char *kDefaultAuth = "none";
inline constexpr const char *kDefaultSecret = "";
inline constexpr const char *kDefaultTolerance = "300";
inline constexpr const char *kDefaultDedupeWindow = "0";
inline constexpr const char *kDefaultAllowFrom = "";
inline constexpr const char *kDefaultBind = "";

// What get_widget("secret") shows for a literal secret: never the secret.
inline constexpr const char *kSecretMask = "***";

inline constexpr std::int64_t kMinTolerance = 1;
inline constexpr std::int64_t kMaxTolerance = 86400;
inline constexpr std::int64_t kMinDedupeWindow = 0;
inline constexpr std::int64_t kMaxDedupeWindow = 7 * 86400;

}  // namespace nb::webhook
