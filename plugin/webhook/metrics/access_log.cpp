#include "access_log.hpp"

#include <chrono>
#include <string>

#include "host_extension.hpp"
#include "http/request_path.hpp"

namespace nb::webhook::metrics {

AccessLog AccessLog::of(const nb_host_t *host) noexcept {
    const auto *log = host_extension<nb_host_access_log_t>(host, NB_EXT_ACCESS_LOG);
    return log && log->record ? AccessLog(host, log) : AccessLog();
}

void AccessLog::record(const net::Exchange &exchange, const Context &context) const noexcept {
    try {
        // A NUL-terminated copy: the record's strings are C strings.
        const std::string path(exchange.head ? net::request_path(exchange.head->target)
                                             : std::string_view());
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(exchange.duration);
        const nb_access_record_t record{
            context.client,
            exchange.head ? exchange.head->method.c_str() : "",
            path.c_str(),
            context.port,
            static_cast<std::uint16_t>(exchange.status),
            exchange.body_bytes,
            static_cast<std::uint64_t>(ns.count() > 0 ? ns.count() : 0),
            context.delivery_id,
            refusal_name(context.refusal)};
        log_->record(host_, context.node, &record);
    } catch (...) {
        // No memory for the copy: this record is lost, the answer was not.
    }
}

}  // namespace nb::webhook::metrics
