#include "exposition.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace nb::host {
namespace {

bool valid_name(std::string_view name, bool colons) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':');
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

const char *kind_name(MetricKind kind) {
    switch (kind) {
    case MetricKind::counter: return "counter";
    case MetricKind::gauge: return "gauge";
    case MetricKind::histogram: return "histogram";
    }
    return "untyped";
}

// HELP text escapes \ and newline; label values also ".
void append_escaped(std::string &out, std::string_view text, bool quotes) {
    for (const char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && quotes) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
}

void append_labels(std::string &out, const MetricLabels &labels, std::string_view le = {}) {
    if (labels.empty() && le.empty()) return;
    out += '{';
    bool first = true;
    for (const MetricLabel &label : labels) {
        if (!first) out += ',';
        first = false;
        out += label.name;
        out += "=\"";
        append_escaped(out, label.value, true);
        out += '"';
    }
    if (!le.empty()) {
        if (!first) out += ',';
        out += "le=\"";
        out += le;
        out += '"';
    }
    out += '}';
}

void append_sample(std::string &out, std::string_view name, std::string_view suffix, const MetricLabels &labels,
                   const std::string &number, std::string_view le = {}) {
    out += name;
    out += suffix;
    append_labels(out, labels, le);
    out += ' ';
    out += number;
    out += '\n';
}

}  // namespace

std::string metric_number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // Plain decimals where Go's clients print them (le="0.0001", not
    // "1e-04"): a bucket's le is matched as text across scrapes.
    const double magnitude = std::fabs(value);
    const bool plain = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e21);
    char buffer[64];
    const auto end = plain ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed).ptr
                           : std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

std::string Exposition::family(std::string_view name, MetricKind kind, std::string_view help) {
    refused_ = true;
    if (!valid_name(name, true)) return "its name is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)";
    const auto taken = std::find_if(families_.begin(), families_.end(),
                                    [&](const Family &family) { return family.name == name; });
    if (taken != families_.end()) {
        return std::string("its name is already used by a ") + kind_name(taken->kind) + " family";
    }
    Family family{std::string(name), kind, "# HELP ", {}, false};
    family.text += name;
    family.text += ' ';
    append_escaped(family.text, help, false);
    family.text += "\n# TYPE ";
    family.text += name;
    family.text += ' ';
    family.text += kind_name(kind);
    family.text += '\n';
    families_.push_back(std::move(family));
    refused_ = false;
    return {};
}

std::string Exposition::check_labels(const MetricLabels &labels, bool histogram) {
    if (refused_ || families_.empty()) return "no family accepted before it";
    Family &family = families_.back();
    if ((family.kind == MetricKind::histogram) != histogram) {
        return std::string("not a sample of a ") + kind_name(family.kind);
    }
    std::vector<std::string> names;
    for (const MetricLabel &label : labels) {
        if (!valid_name(label.name, false) || label.name.substr(0, 2) == "__") return "malformed label name";
        if (histogram && label.name == "le") return "label le is the histogram's own";
        if (std::find(names.begin(), names.end(), label.name) != names.end()) return "a label named twice";
        names.emplace_back(label.name);
    }
    if (!family.sampled) {
        family.label_names = std::move(names);
        family.sampled = true;
    } else if (names != family.label_names) {
        return "label names differ from the family's first sample";
    }
    return {};
}

std::string Exposition::value(const MetricLabels &labels, double value) {
    std::string why = check_labels(labels, false);
    if (why.empty()) append_sample(families_.back().text, families_.back().name, "", labels, metric_number(value));
    return why;
}

std::string Exposition::histogram(const MetricLabels &labels, const double *upper_bounds,
                                  const std::uint64_t *counts, std::size_t bound_count, double sum) {
    for (std::size_t i = 1; i < bound_count; ++i) {
        if (!(upper_bounds[i - 1] < upper_bounds[i])) return "bucket bounds not ascending";
    }
    std::string why = check_labels(labels, true);
    if (!why.empty()) return why;
    Family &family = families_.back();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bound_count; ++i) {
        cumulative += counts[i];
        const std::string le = i < bound_count ? metric_number(upper_bounds[i]) : "+Inf";
        append_sample(family.text, family.name, "_bucket", labels, std::to_string(cumulative), le);
    }
    append_sample(family.text, family.name, "_sum", labels, metric_number(sum));
    append_sample(family.text, family.name, "_count", labels, std::to_string(cumulative));
    return {};
}

std::string Exposition::text() const {
    std::string out;
    for (const Family &family : families_) out += family.text;
    return out;
}

}  // namespace nb::host
