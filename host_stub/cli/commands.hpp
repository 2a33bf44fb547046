#pragma once

#include <csignal>
#include <ostream>

#include "../plugins/plugin_set.hpp"
#include "options.hpp"

namespace nb::host {

// Exit codes of nb-host.
constexpr int exit_ok = 0;
constexpr int exit_failure = 1;  // workflow refused, cannot listen, unknown node type
constexpr int exit_usage = 2;

// The plugins of --plugin-dir, NB_PLUGIN_PATH and the default folder;
// warnings about files skipped go to `err`.
PluginSet load_plugins(const Options &options, std::ostream &err);

// Each command writes results to `out`, diagnostics to `err`, returns an exit code.
int command_check(const Options &options, std::ostream &out, std::ostream &err);
int command_nodes(const Options &options, std::ostream &out, std::ostream &err);
int command_describe(const Options &options, std::ostream &out, std::ostream &err);
// run_command.cpp. Blocks on `stop_signals` (already blocked in every
// thread) until one arrives, looking for events `nb-host journal replay`
// marked meanwhile, then shuts down cleanly; a second one during that drain
// ends the process at once, with 128 + its number (SecondSignal).
int command_run(const Options &options, const sigset_t &stop_signals, std::ostream &out,
                std::ostream &err);

}  // namespace nb::host
