#include "metrics_sink.hpp"

#include <stdexcept>

namespace nb::test {

std::uint64_t CollectedMetrics::Sample::count() const {
    std::uint64_t total = 0;
    for (const std::uint64_t n : buckets) total += n;
    return total;
}

CollectedMetrics::CollectedMetrics(void (*collect)(const nb_metrics_sink_t *sink)) {
    const nb_metrics_sink_t sink{this, on_family, on_value, on_histogram};
    collect(&sink);
}

const CollectedMetrics::Family *CollectedMetrics::family(const std::string &name) const {
    for (const Family &f : families_) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

const CollectedMetrics::Sample *CollectedMetrics::sample(const std::string &name,
                                                         const Labels &labels) const {
    const Family *f = family(name);
    if (!f) return nullptr;
    for (const Sample &s : f->samples) {
        if (s.labels == labels) return &s;
    }
    return nullptr;
}

double CollectedMetrics::value(const std::string &name, const Labels &labels) const {
    const Sample *s = sample(name, labels);
    return s ? s->value : 0;
}

void CollectedMetrics::on_family(const nb_metrics_sink_t *sink, const char *name,
                                 nb_metric_kind_t kind, const char *help) {
    auto &self = *static_cast<CollectedMetrics *>(sink->sink_data);
    self.families_.push_back({name, kind, help ? help : "", {}});
}

CollectedMetrics::Sample &CollectedMetrics::add(const nb_metric_label_t *labels,
                                                std::uint32_t label_count) {
    if (families_.empty()) throw std::logic_error("a sample before any family");
    Sample sample;
    for (std::uint32_t i = 0; i < label_count; ++i) sample.labels[labels[i].name] = labels[i].value;
    families_.back().samples.push_back(std::move(sample));
    return families_.back().samples.back();
}

void CollectedMetrics::on_value(const nb_metrics_sink_t *sink, const nb_metric_label_t *labels,
                                std::uint32_t label_count, double value) {
    static_cast<CollectedMetrics *>(sink->sink_data)->add(labels, label_count).value = value;
}

void CollectedMetrics::on_histogram(const nb_metrics_sink_t *sink, const nb_metric_label_t *labels,
                                    std::uint32_t label_count, const double *upper_bounds,
                                    const std::uint64_t *bucket_counts, std::uint32_t bound_count,
                                    double sum) {
    Sample &s = static_cast<CollectedMetrics *>(sink->sink_data)->add(labels, label_count);
    s.upper_bounds.assign(upper_bounds, upper_bounds + bound_count);
    s.buckets.assign(bucket_counts, bucket_counts + bound_count + 1);
    s.sum = sum;
}

}  // namespace nb::test
