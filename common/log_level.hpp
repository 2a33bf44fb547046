#pragma once

#include <nb/host.h>

namespace nb {

// How a log line names its level: "debug", "info", "warning", "error".
inline constexpr const char *log_level_name(nb_log_level_t level) noexcept {
    switch (level) {
    case NB_LOG_DEBUG: return "debug";
    case NB_LOG_INFO: return "info";
    case NB_LOG_WARN: return "warning";
    case NB_LOG_ERROR: return "error";
    }
    return "log";
}

}  // namespace nb
