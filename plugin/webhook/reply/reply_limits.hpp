#pragma once

#include <cstdint>

// Names, defaults and bounds of the reply node's widgets and its input: one
// place shared by the descriptor (what a host shows) and the validation
// (what set_widget accepts).
namespace nb::webhook {

inline constexpr const char *kReplyInBody = "body";

inline constexpr const char *kReplyWidgetStatus = "status";
inline constexpr const char *kReplyWidgetContentType = "content_type";
inline constexpr const char *kReplyWidgetHeaders = "headers";

inline constexpr const char *kReplyDefaultStatus = "200";
inline constexpr const char *kReplyDefaultContentType = "application/json";
inline constexpr const char *kReplyDefaultHeaders = "{}";

// What nb_reply_t allows (run_reply.h): no 1xx, which would not end the
// exchange, and nothing past the last defined class.
inline constexpr std::int64_t kReplyMinStatus = 200;
inline constexpr std::int64_t kReplyMaxStatus = 599;

}  // namespace nb::webhook
