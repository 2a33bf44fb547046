#include "event_copy.hpp"

#include <cstring>
#include <string_view>
#include <type_traits>

#include "../plugins/abi_extensions.hpp"

namespace nb::host {
namespace {

std::string_view text(const char *text) { return text ? std::string_view(text) : std::string_view(); }
std::string_view bytes(const char *data, std::size_t len) {
    return data ? std::string_view(data, len) : std::string_view();
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
        text(e.method), text(e.path), bytes(e.body, e.body_len),
        bytes(e.headers_json, e.headers_json_len), bytes(e.query_json, e.query_json_len),
        text(e.remote_addr), has_delivery_id_ ? bytes(delivery->id, delivery->id_len) : std::string_view()};
    std::size_t total = 0;
    for (const std::string_view part : parts) total += part.size() + 1;
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

EventView EventCopy::view() const {
    const nb_event_delivery_t delivery{has_delivery_id_ ? at(delivery_id) : nullptr, size(delivery_id),
                                       dedupe_window_s_};
    return EventView({NB_VERSION_INIT, at(method), at(path), at(body), size(body), at(headers_json),
                      size(headers_json), at(query_json), size(query_json), at(remote_addr), nullptr},
                     has_delivery_ ? &delivery : nullptr);
}

}  // namespace nb::host
