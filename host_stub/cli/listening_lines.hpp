#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "../workflow/workflow.hpp"

namespace nb::host {

// [main-thread] What `nb-host run` prints once its event sources started: for
// each of `started`, one line per address its NB_EXT_LISTEN_ADDRESS reports,
//   listening: SCHEME://ADDRESS:PORT/PATH (node ID)
// (an IPv6 address in brackets), or, for one without the extension (a 1.0
// plugin, or a source that does not listen on a network),
//   listening: (node ID) started, no address reported
void print_listening(const std::vector<const WorkflowNode *> &started, std::ostream &out);

// [main-thread] In queue mode, once the workers' consumer groups exist: for
// each stream read,
//   consuming: nb:WORKFLOW:NODE (node ID)
void print_consuming(const std::vector<std::pair<std::string, const WorkflowNode *>> &streams, std::ostream &out);

}  // namespace nb::host
