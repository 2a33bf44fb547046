#include "event_fields.hpp"

namespace nb::host {

EventFields read_event_fields(const Statement &row, int first) {
    EventFields fields;
    fields.method = row.text(first);
    fields.path = row.text(first + 1);
    fields.remote_addr = row.text(first + 2);
    fields.headers_json = row.text(first + 3);
    fields.query_json = row.text(first + 4);
    fields.body = row.text(first + 5);
    fields.delivery_id = row.optional_text(first + 6);
    fields.dedupe_window_s = static_cast<std::uint32_t>(row.integer(first + 7));
    return fields;
}

}  // namespace nb::host
