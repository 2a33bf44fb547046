#include "admin_endpoint.hpp"

#include "../plugins/abi_extensions.hpp"

namespace nb::host {
namespace {

std::vector<PluginMetrics::Source> plugin_metrics(const PluginSet &plugins) {
    std::vector<PluginMetrics::Source> found;
    for (const auto &library : plugins.libraries()) {
        const auto *metrics =
            static_cast<const nb_plugin_metrics_t *>(plugin_extension(library->entry(), NB_EXT_METRICS));
        if (metrics && metrics->collect) found.push_back({library->path().string(), metrics});
    }
    return found;
}

}  // namespace

AdminEndpoint::AdminEndpoint(const AdminAddress &address, Host &host, const PluginSet &plugins,
                             const AccessLog *access_log)
    : host_(host),
      access_log_(access_log),
      plugins_(plugin_metrics(plugins),
               [&host](const std::string &message) { host.log_line(NB_LOG_WARN, nullptr, message); }),
      routes_(AdminSources{[this] { return scrape(); }, [&host] { return host.readiness(); }}),
      server_(address, routes_) {}

// [admin thread]
std::string AdminEndpoint::scrape() const {
    Exposition out;
    host_.write_metrics(out);
    if (access_log_) access_log_->write_metrics(out);
    plugins_.collect(out);
    return out.text();
}

}  // namespace nb::host
