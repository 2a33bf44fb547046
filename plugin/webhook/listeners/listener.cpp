#include "listener.hpp"

#include <algorithm>
#include <cstdlib>

#include "integer.hpp"
#include "json_text.hpp"

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
      tls_(settings_.tls.cert.empty() ? nullptr
                                      : std::make_unique<net::tls::TlsPort>(settings_.tls)),
      routes_(port, std::move(unrouted)),
      server_(net::ServerOptions{settings_.bind, port,
                                 std::chrono::seconds(settings_.read_timeout_s), loops_wanted(),
                                 tls_.get()},
              routes_) {
    if (!tls_ || settings_.tls_reload_s == 0) return;
    reload_ = std::make_unique<net::tls::ReloadTimer>(
        *tls_, std::chrono::seconds(settings_.tls_reload_s),
        [this, port](net::tls::TlsPort::Reload reload, const std::string &message) {
            report_reload(port, reload, message);
        });
}

void Listener::report_reload(std::uint16_t port, net::tls::TlsPort::Reload reload,
                             const std::string &message) const {
    std::string line = "port " + std::to_string(port) + ": ";
    if (reload == net::tls::TlsPort::Reload::kept) {
        routes_.log(NB_LOG_WARN, line + message);
        return;
    }
    line += "reloaded certificate file " + json_string(settings_.tls.cert) + " and key file " +
            json_string(settings_.tls.key);
    if (!message.empty()) line += "; " + message;
    routes_.log(message.empty() ? NB_LOG_INFO : NB_LOG_WARN, line);
}

}  // namespace nb::webhook
