#pragma once

#include <nb/plugin.h>

namespace nb::host {

// get_extension of each ABI struct that has one, read only when the struct's
// own version has it (1.1, nb_version_has): a 1.0 struct ends before that
// field, so reading it would read past the other side's struct. NULL for a
// 1.0 struct, a NULL get_extension, a NULL id or an unknown id. What is
// returned is owned by the callee and lives as long as what it was asked of
// (include/nb/extension.h).

// [main-thread] Between init and deinit.
const void *plugin_extension(const nb_plugin_entry_t &entry, const char *id);
// [thread-safe] Until the node's destroy.
const void *node_extension(const nb_node_t &node, const char *id);
// [thread-safe] As long as the event.
const void *event_extension(const nb_event_t &event, const char *id);

}  // namespace nb::host
