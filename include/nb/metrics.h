#ifndef NB_METRICS_H
#define NB_METRICS_H

/* Plugin extension NB_EXT_METRICS (ABI 1.1): the plugin's own counts, which a
 * host exposes (nb-host: Prometheus text on `--admin`). The plugin counts as
 * it works, off its request path's locks; at each scrape the host asks it to
 * report them through a sink of the host's. A plugin without the extension
 * simply has no metrics. */

#include <stdint.h>

#include "extension.h"
#include "threads.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NB_EXT_METRICS "nb.metrics/1"

typedef enum nb_metric_kind {
    NB_METRIC_COUNTER = 0,    /* only grows (a restart of the plugin resets it) */
    NB_METRIC_GAUGE = 1,      /* a value now */
    NB_METRIC_HISTOGRAM = 2   /* observations counted into buckets, with their sum */
} nb_metric_kind_t;

typedef struct nb_metric_label {
    const char *name;   /* [a-zA-Z_][a-zA-Z0-9_]* */
    const char *value;  /* UTF-8, from a bounded set: never a path, id or address */
} nb_metric_label_t;

/* Owned by the host, borrowed by collect for its call only. Every string and
 * array passed to a sink function is borrowed for that call only. Calls come
 * from the thread running collect, never concurrently. */
typedef struct nb_metrics_sink {
    void *sink_data;  /* the host's own */

    /* Begins family `name` ([a-zA-Z_:][a-zA-Z0-9_:]*, in base units: _seconds,
     * _bytes; a counter's ends in _total). Every sample until the next family
     * call belongs to it. `help` is one line. A name given twice in one
     * collect, or one the host already uses with another kind, is dropped by
     * the host with its samples, and logged. */
    void (*family)(const struct nb_metrics_sink *sink, const char *name, nb_metric_kind_t kind,
                   const char *help);

    /* One sample of the current counter or gauge family. `labels` has
     * `label_count` entries (may be NULL when 0); a family's samples all use
     * the same label names. */
    void (*value)(const struct nb_metrics_sink *sink, const nb_metric_label_t *labels,
                  uint32_t label_count, double value);

    /* One sample of the current histogram family. `upper_bounds` holds
     * `bound_count` ascending bucket bounds; `bucket_counts` holds
     * bound_count + 1 counts, NOT cumulative: bucket_counts[i] counts the
     * observations v with upper_bounds[i-1] < v <= upper_bounds[i], the last
     * one those above every bound. `sum` is the sum of the observations. */
    void (*histogram)(const struct nb_metrics_sink *sink, const nb_metric_label_t *labels,
                      uint32_t label_count, const double *upper_bounds,
                      const uint64_t *bucket_counts, uint32_t bound_count, double sum);
} nb_metrics_sink_t;

typedef struct nb_plugin_metrics {
    /* NB_THREAD_SAFE [thread-safe] Usually the host's admin thread, at each
     * scrape, while nodes start, stop and serve. Between init and deinit.
     * Reports every metric of the plugin through `sink` and returns: quickly,
     * without I/O, never taking a lock its request path waits on for long.
     * Labels name the workflow node by the node_id it was created with. */
    void (*collect)(const nb_metrics_sink_t *sink);
} nb_plugin_metrics_t;

#ifdef __cplusplus
}
#endif

#endif
