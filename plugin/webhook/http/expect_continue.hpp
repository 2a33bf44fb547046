#pragma once

#include <cstdint>

#include <Poco/Net/HTTPServerRequest.h>

namespace nb::webhook {

// Poco sends "100 Continue" before the handler runs, unless the response's
// status has already left 200. When the body will not be read (no route, a
// method other than POST, a Content-Length over the limit), this moves it to
// 417 so the client is spared sending it; the handler's own status replaces
// it. `max_body_bytes` is ignored when `routed` is false.
void withhold_continue_unless_read(const Poco::Net::HTTPServerRequest &request, bool routed,
                                   std::uint64_t max_body_bytes);

}  // namespace nb::webhook
