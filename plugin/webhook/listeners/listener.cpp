#include "listener.hpp"

#include <algorithm>
#include <cstdlib>

#include "integer.hpp"

namespace nb::webhook {
namespace {

// NB_WEBHOOK_LOOPS: event loops per port, for operators who share the
// machine with other work; 0, unset or not a number: one per core.
unsigned loops_wanted() {
    const char *text = std::getenv("NB_WEBHOOK_LOOPS");
    const auto loops = text ? parse_integer(text, Sign::unsigned_only) : std::nullopt;
    // net::loop_count caps whatever is asked at its own maximum.
    return loops ? static_cast<unsigned>(std::min<std::int64_t>(*loops, 64)) : 0;
}

}  // namespace

Listener::Listener(std::uint16_t port, PortSettings settings,
                   std::shared_ptr<metrics::CodeCounts> unrouted)
    : settings_(std::move(settings)),
      routes_(port, std::move(unrouted)),
      server_(net::ServerOptions{settings_.bind, port,
                                 std::chrono::seconds(settings_.read_timeout_s), loops_wanted()},
              routes_) {}

}  // namespace nb::webhook
