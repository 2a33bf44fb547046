#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nb::host {

enum class MetricKind { counter, gauge, histogram };

struct MetricLabel {
    std::string_view name;
    std::string_view value;
};
using MetricLabels = std::vector<MetricLabel>;

// Prometheus text format 0.0.4, built one family at a time: each family's
// # HELP and # TYPE once, its samples together, label values escaped,
// histograms as cumulative _bucket{le=...} (+Inf last), _sum and _count.
// Names are checked, since plugins supply them: a family whose name is
// taken or malformed is refused with its samples, and so is a sample whose
// labels are malformed or differ in names from the family's first sample.
class Exposition {
public:
    // Begins a family; the samples that follow belong to it. Returns why it
    // was refused ("" when taken): its samples are then dropped.
    std::string family(std::string_view name, MetricKind kind, std::string_view help);
    // A counter's or gauge's sample. Returns why it was dropped, or "".
    std::string value(const MetricLabels &labels, double value);
    // A histogram's sample: `counts` holds bound_count + 1 per-bucket (not
    // cumulative) counts, the last above every bound. Returns why it was
    // dropped, or "".
    std::string histogram(const MetricLabels &labels, const double *upper_bounds,
                          const std::uint64_t *counts, std::size_t bound_count, double sum);

    std::string text() const;

private:
    struct Family {
        std::string name;
        MetricKind kind;
        std::string text;  // HELP, TYPE and the samples so far
        std::vector<std::string> label_names;  // of its first sample
        bool sampled = false;
    };
    // Why `labels` cannot be the current family's, or "".
    std::string check_labels(const MetricLabels &labels, bool histogram);

    std::vector<Family> families_;
    bool refused_ = false;  // the current family was refused: its samples go nowhere
};

// A sample's number as Prometheus reads it: the shortest text that reads
// back to the same double (plain decimals from 1e-4 to 1e21, as Go's
// clients print them), +Inf, -Inf or NaN.
std::string metric_number(double value);

}  // namespace nb::host
