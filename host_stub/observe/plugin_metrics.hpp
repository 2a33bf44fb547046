#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nb/metrics.h>

#include "exposition.hpp"

namespace nb::host {

// The plugins' own metrics (NB_EXT_METRICS), merged into the host's
// exposition through a sink of the host's. What a plugin reports wrongly (a
// family whose name is taken, by nb-host or another plugin, or malformed; a
// malformed sample) is dropped, and warned about once per family and reason.
class PluginMetrics {
public:
    struct Source {
        std::string plugin;  // its file, to name it in warnings
        const nb_plugin_metrics_t *metrics;  // lives as long as the plugin
    };
    // [thread-safe] One warning line's message.
    using Warn = std::function<void(const std::string &message)>;

    PluginMetrics(std::vector<Source> sources, Warn warn) : sources_(std::move(sources)), warn_(std::move(warn)) {}

    // [thread-safe] Calls each plugin's collect, in load order.
    void collect(Exposition &out);

    // [thread-safe] Warns once for `family` and `why`:
    // plugin "FILE": metric family "NAME": WHY.
    void warn_once(const std::string &plugin, const std::string &family, const std::string &why);

private:
    std::vector<Source> sources_;
    Warn warn_;
    std::mutex mutex_;
    std::set<std::string> warned_;
};

}  // namespace nb::host
