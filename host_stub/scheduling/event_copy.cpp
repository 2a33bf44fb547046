#include "event_copy.hpp"

#include <cstring>
#include <type_traits>

#include "../plugins/abi_extensions.hpp"

namespace nb::host {
namespace {

std::string copy(const char *text) { return text ? std::string(text) : std::string(); }
std::string copy(const char *data, size_t len) { return data ? std::string(data, len) : std::string(); }

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

EventCopy::EventCopy(const nb_event_t &e)
    : method_(copy(e.method)),
      path_(copy(e.path)),
      body_(copy(e.body, e.body_len)),
      headers_json_(copy(e.headers_json, e.headers_json_len)),
      query_json_(copy(e.query_json, e.query_json_len)),
      remote_addr_(copy(e.remote_addr)) {
    const auto *delivery = static_cast<const nb_event_delivery_t *>(event_extension(e, NB_EXT_DELIVERY));
    if (!delivery) return;
    has_delivery_ = true;
    has_delivery_id_ = delivery->id != nullptr;
    delivery_id_ = copy(delivery->id, delivery->id_len);
    dedupe_window_s_ = delivery->dedupe_window_s;
}

EventView EventCopy::view() const {
    const nb_event_delivery_t delivery{has_delivery_id_ ? delivery_id_.data() : nullptr, delivery_id_.size(),
                                       dedupe_window_s_};
    return EventView({NB_VERSION_INIT, method_.c_str(), path_.c_str(), body_.data(), body_.size(),
                      headers_json_.c_str(), headers_json_.size(), query_json_.c_str(), query_json_.size(),
                      remote_addr_.c_str(), nullptr},
                     has_delivery_ ? &delivery : nullptr);
}

}  // namespace nb::host
