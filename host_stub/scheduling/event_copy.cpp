#include "event_copy.hpp"

namespace nb::host {
namespace {

std::string copy(const char *text) { return text ? std::string(text) : std::string(); }
std::string copy(const char *data, size_t len) { return data ? std::string(data, len) : std::string(); }

}  // namespace

EventCopy::EventCopy(const nb_event_t &e)
    : method_(copy(e.method)),
      path_(copy(e.path)),
      body_(copy(e.body, e.body_len)),
      headers_json_(copy(e.headers_json, e.headers_json_len)),
      query_json_(copy(e.query_json, e.query_json_len)),
      remote_addr_(copy(e.remote_addr)) {}

nb_event_t EventCopy::view() const {
    return {NB_VERSION_INIT,  method_.c_str(),       path_.c_str(),          body_.data(),
            body_.size(),     headers_json_.c_str(), headers_json_.size(),   query_json_.c_str(),
            query_json_.size(), remote_addr_.c_str(), nullptr};
}

}  // namespace nb::host
