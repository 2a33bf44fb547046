#include "event_copy.hpp"

#include <cstring>
#include <string_view>
#include <type_traits>

#include "../plugins/abi_extensions.hpp"

namespace nb::host {
namespace {

std::string_view text(const char *text) { return text ? std::string_view(text) : std::string_view(); }
std::string_view span_of(const char *data, std::size_t len) {
    return data ? std::string_view(data, len) : std::string_view();
}

// A stored event as an nb_event_t: the journal keeps the delivery only when
// there was one to dedupe by.
EventCopy copy_of(const StoredEvent &stored) {
    const nb_event_delivery_t delivery{stored.delivery_id ? stored.delivery_id->c_str() : nullptr,
                                       stored.delivery_id ? stored.delivery_id->size() : 0,
                                       stored.dedupe_window_s};
    const EventView view({NB_VERSION_INIT, stored.method.c_str(), stored.path.c_str(), stored.body.data(),
                          stored.body.size(), stored.headers_json.c_str(), stored.headers_json.size(),
                          stored.query_json.c_str(), stored.query_json.size(), stored.remote_addr.c_str(),
                          nullptr},
                         stored.delivery_id || stored.dedupe_window_s ? &delivery : nullptr);
    return EventCopy(*view.get());
}

}  // namespace

EventView::EventView(const nb_event_t &event, const nb_event_delivery_t *delivery)
    : event_(event), delivery_(delivery ? *delivery : nb_event_delivery_t{}), has_delivery_(delivery != nullptr) {
    event_.get_extension = get_extension;
}

const void *EventView::get_extension(const nb_event_t *event, const char *id) {
    // EventView is standard-layout with the event first: the two addresses
    // are the same object's.
    static_assert(std::is_standard_layout_v<EventView>);
    if (!event || !id || std::strcmp(id, NB_EXT_DELIVERY) != 0) return nullptr;
    const auto &view = *reinterpret_cast<const EventView *>(event);
    return view.has_delivery_ ? &view.delivery_ : nullptr;
}

EventCopy::EventCopy(const nb_event_t &e) {
    const auto *delivery = static_cast<const nb_event_delivery_t *>(event_extension(e, NB_EXT_DELIVERY));
    has_delivery_ = delivery != nullptr;
    has_delivery_id_ = delivery && delivery->id;
    dedupe_window_s_ = delivery ? delivery->dedupe_window_s : 0;
    const std::string_view parts[kParts] = {
        text(e.method), text(e.path), span_of(e.body, e.body_len),
        span_of(e.headers_json, e.headers_json_len), span_of(e.query_json, e.query_json_len),
        text(e.remote_addr), has_delivery_id_ ? span_of(delivery->id, delivery->id_len) : std::string_view()};
    std::size_t total = 0;
    for (const std::string_view part : parts) total += part.size() + 1;
    bytes_ = total;
    text_.reset(new char[total]);  // not value-initialised: every byte is written below
    std::size_t offset = 0;
    for (int part = 0; part < kParts; ++part) {
        const std::string_view from = parts[part];
        spans_[part] = {offset, from.size()};
        if (!from.empty()) std::memcpy(text_.get() + offset, from.data(), from.size());
        offset += from.size();
        text_[offset++] = '\0';
    }
}

EventCopy::EventCopy(const StoredEvent &stored) : EventCopy(copy_of(stored)) {}

EventRecord EventCopy::record(std::string_view node) const {
    EventRecord record{node,         part(method),       part(path), part(remote_addr),
                       part(headers_json), part(query_json), part(body), std::nullopt, dedupe_window_s_};
    if (has_delivery_id_) record.delivery_id = part(delivery_id);
    return record;
}

EventView EventCopy::view() const {
    const nb_event_delivery_t delivery{has_delivery_id_ ? at(delivery_id) : nullptr, size(delivery_id),
                                       dedupe_window_s_};
    return EventView({NB_VERSION_INIT, at(method), at(path), at(body), size(body), at(headers_json),
                      size(headers_json), at(query_json), size(query_json), at(remote_addr), nullptr},
                     has_delivery_ ? &delivery : nullptr);
}

}  // namespace nb::host
