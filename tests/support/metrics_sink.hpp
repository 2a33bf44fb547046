#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nb/metrics.h>

namespace nb::test {

// What one collect reported through an nb_metrics_sink_t, copied: the
// families in order, and each sample under its family and labels.
class CollectedMetrics {
public:
    using Labels = std::map<std::string, std::string>;

    struct Sample {
        Labels labels;
        double value = 0;                    // counter, gauge
        std::vector<double> upper_bounds;    // histogram
        std::vector<std::uint64_t> buckets;  // histogram, not cumulative
        double sum = 0;                      // histogram
        std::uint64_t count() const;         // histogram: every bucket
    };
    struct Family {
        std::string name;
        nb_metric_kind_t kind;
        std::string help;
        std::vector<Sample> samples;
    };

    // [thread-safe as collect is] Runs `collect` with a sink of this object.
    explicit CollectedMetrics(void (*collect)(const nb_metrics_sink_t *sink));

    const std::vector<Family> &families() const { return families_; }
    // The family named `name`, or null.
    const Family *family(const std::string &name) const;
    // The sample of `name` with exactly `labels`, or null.
    const Sample *sample(const std::string &name, const Labels &labels) const;
    // Its value, 0 when there is no such sample.
    double value(const std::string &name, const Labels &labels) const;

private:
    static void on_family(const nb_metrics_sink_t *sink, const char *name, nb_metric_kind_t kind,
                          const char *help);
    static void on_value(const nb_metrics_sink_t *sink, const nb_metric_label_t *labels,
                         std::uint32_t label_count, double value);
    static void on_histogram(const nb_metrics_sink_t *sink, const nb_metric_label_t *labels,
                             std::uint32_t label_count, const double *upper_bounds,
                             const std::uint64_t *bucket_counts, std::uint32_t bound_count,
                             double sum);
    Sample &add(const nb_metric_label_t *labels, std::uint32_t label_count);

    std::vector<Family> families_;
};

}  // namespace nb::test
