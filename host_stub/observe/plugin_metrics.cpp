#include "plugin_metrics.hpp"

namespace nb::host {
namespace {

// One collect call's sink: where its samples go and which family they join.
struct Collecting {
    PluginMetrics &owner;
    const std::string &plugin;
    Exposition &out;
    std::string family;
    bool accepted = false;

    // `what` was dropped (the family, or a sample of it) for `why`, unless empty.
    void check(const char *what, const std::string &why) {
        if (!why.empty()) owner.warn_once(plugin, family, std::string(what) + " dropped: " + why);
    }
};

Collecting &state_of(const nb_metrics_sink_t *sink) { return *static_cast<Collecting *>(sink->sink_data); }

const char *or_empty(const char *text) { return text ? text : ""; }

// False when a label has a null name or value (the sample is dropped).
bool labels_of(const nb_metric_label_t *labels, uint32_t count, MetricLabels &out) {
    if (count > 0 && !labels) return false;
    for (uint32_t i = 0; i < count; ++i) {
        if (!labels[i].name || !labels[i].value) return false;
        out.push_back({labels[i].name, labels[i].value});
    }
    return true;
}

MetricKind kind_of(nb_metric_kind_t kind) {
    switch (kind) {
    case NB_METRIC_COUNTER: return MetricKind::counter;
    case NB_METRIC_GAUGE: return MetricKind::gauge;
    default: return MetricKind::histogram;
    }
}

// The sink's functions: [admin thread], during collect. Nothing may throw
// into the plugin's frames.
void family(const nb_metrics_sink_t *sink, const char *name, nb_metric_kind_t kind, const char *help) {
    Collecting &state = state_of(sink);
    try {
        state.family = or_empty(name);
        if (kind != NB_METRIC_COUNTER && kind != NB_METRIC_GAUGE && kind != NB_METRIC_HISTOGRAM) {
            state.accepted = false;
            return state.check("family", "its kind is unknown");
        }
        const std::string why = state.out.family(state.family, kind_of(kind), or_empty(help));
        state.accepted = why.empty();
        state.check("family", why);
    } catch (...) {
        state.accepted = false;
    }
}

void value(const nb_metrics_sink_t *sink, const nb_metric_label_t *labels, uint32_t label_count, double number) {
    Collecting &state = state_of(sink);
    if (!state.accepted) return;
    try {
        MetricLabels named;
        state.check("sample", labels_of(labels, label_count, named) ? state.out.value(named, number) : "a label is NULL");
    } catch (...) {
    }
}

void histogram(const nb_metrics_sink_t *sink, const nb_metric_label_t *labels, uint32_t label_count,
               const double *upper_bounds, const uint64_t *bucket_counts, uint32_t bound_count, double sum) {
    Collecting &state = state_of(sink);
    if (!state.accepted) return;
    try {
        MetricLabels named;
        if (!labels_of(labels, label_count, named) || !bucket_counts || (bound_count > 0 && !upper_bounds)) {
            return state.check("sample", "a label, its bounds or its counts are NULL");
        }
        state.check("sample", state.out.histogram(named, upper_bounds, bucket_counts, bound_count, sum));
    } catch (...) {
    }
}

}  // namespace

void PluginMetrics::collect(Exposition &out) {
    for (const Source &source : sources_) {
        Collecting state{*this, source.plugin, out, {}, false};
        const nb_metrics_sink_t sink{&state, family, value, histogram};
        source.metrics->collect(&sink);
    }
}

void PluginMetrics::warn_once(const std::string &plugin, const std::string &family, const std::string &why) {
    {
        std::lock_guard lock(mutex_);
        if (!warned_.insert(plugin + '\n' + family + '\n' + why).second) return;
    }
    warn_("plugin \"" + plugin + "\": metric family \"" + family + "\": " + why);
}

}  // namespace nb::host
