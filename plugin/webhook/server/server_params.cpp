#include "server_params.hpp"

#include <Poco/Timespan.h>

namespace nb::webhook {

Poco::Net::HTTPServerParams::Ptr server_params(unsigned read_timeout_s) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(kMaxThreads);
    params->setMaxQueued(kMaxQueued);
    // Webhook senders (and benchmarks) reuse connections; keeping them saves a
    // handshake per event. A short idle timeout gives the thread back soon.
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(kKeepAliveTimeoutS, 0));
    params->setMaxKeepAliveRequests(kMaxKeepAliveRequests);
    // Also the longest a stalled client can delay a stop.
    params->setTimeout(Poco::Timespan(static_cast<long>(read_timeout_s), 0));
    // Poco 1.11's dispatcher can start a thread just as the server stops; that
    // thread then sleeps in the empty queue for the whole idle time before it
    // sees the stop, and joinAll waits for it. The idle time bounds stop().
    params->setThreadIdleTime(Poco::Timespan(1, 0));
    params->setServerName("nb-webhook");
    return params;
}

}  // namespace nb::webhook
