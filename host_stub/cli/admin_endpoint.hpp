#pragma once

#include "../observe/access_log.hpp"
#include "../observe/admin_routes.hpp"
#include "../observe/admin_server.hpp"
#include "../observe/plugin_metrics.hpp"
#include "../plugins/plugin_set.hpp"
#include "../scheduling/host.hpp"

namespace nb::host {

// `nb-host run --admin`: /metrics shows the host's metrics, the access
// log's and every loaded plugin's (NB_EXT_METRICS, looked up here, on the
// main thread); /readyz the host's checks. Opened before the listeners, so
// that /readyz answers 503 until they are open; destroyed before the drain,
// which destroys what the metrics read.
class AdminEndpoint {
public:
    // [main-thread] After host.start_runs. Throws AdminError. `access_log`
    // may be null.
    AdminEndpoint(const AdminAddress &address, Host &host, const PluginSet &plugins, const AccessLog *access_log);

private:
    std::string scrape() const;

    Host &host_;
    const AccessLog *access_log_;
    mutable PluginMetrics plugins_;
    AdminRoutes routes_;
    AdminServer server_;  // last: stopped first
};

}  // namespace nb::host
