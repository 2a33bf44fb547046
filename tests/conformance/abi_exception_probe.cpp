#include "abi_exception_probe.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include "check_host.hpp"
#include "plugin_under_test.hpp"
#include "prepared_run.hpp"

namespace nb::conformance {
namespace {

// Inside a catch (...): the exception's type, and its what() when it is a
// std::exception.
std::string current_exception_text() {
    std::string type = "an exception of unknown type";
    if (const std::type_info *info = abi::__cxa_current_exception_type()) {
        int status = 0;
        const std::unique_ptr<char, decltype(&std::free)> name(
            abi::__cxa_demangle(info->name(), nullptr, nullptr, &status), &std::free);
        type = status == 0 && name ? name.get() : info->name();
    }
    try {
        throw;
    } catch (const std::exception &e) {
        return type + ": " + e.what();
    } catch (...) {
        return type;
    }
}

class Probe {
public:
    // Calls `call`, recording it under `name`; false when it threw.
    template <typename Call>
    bool operator()(std::string name, Call &&call) {
        std::string exception;
        try {
            call();
        } catch (...) {
            exception = current_exception_text();
        }
        calls_.push_back({std::move(name), exception});
        return exception.empty();
    }

    std::vector<ProbedCall> take() { return std::move(calls_); }

private:
    std::vector<ProbedCall> calls_;
};

std::string quoted(const char *s) { return std::string("(\"") + text(s) + "\")"; }

}  // namespace

std::vector<ProbedCall> probe_node_type(const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
    CheckHost host;
    Probe probe;
    const nb_node_t *node = nullptr;
    if (!probe("create_node", [&] { node = entry.create_node(d.id, "conformance", host.host()); }) || !node)
        return probe.take();
    for (uint32_t i = 0; i < d.widget_count; ++i) {
        const auto &w = d.widgets[i];
        probe("get_widget" + quoted(w.name), [&] { node->get_widget(node, w.name); });
        probe("set_widget" + quoted(w.name), [&] { node->set_widget(node, w.name, w.default_value); });
    }
    probe("get_widget(\"no_such_widget\")", [&] { node->get_widget(node, "no_such_widget"); });
    probe("set_widget(\"no_such_widget\")", [&] { node->set_widget(node, "no_such_widget", "1"); });
    probe("last_error", [&] { node->last_error(node); });
    if (nb_version_has(node->abi, 1) && node->get_extension)
        probe("get_extension", [&] { node->get_extension(node, kUnknownExtensionId); });
    if (find_widget(d, "port")) probe("set_widget(\"port\")", [&] { use_free_port(node, d); });
    probe("start", [&] { node->start(node); });
    probe("stop", [&] { node->stop(node); });
    {
        const PreparedRun prepared(d, 1);
        probe("execute", [&] { node->execute(node, prepared.run.run()); });
    }
    probe("destroy", [&] { node->destroy(node); });
    return probe.take();
}

std::vector<ProbedCall> probe_entry(const nb_plugin_entry_t &entry) {
    CheckHost host;
    Probe probe;
    uint32_t count = 0;
    probe("node_count", [&] { count = entry.node_count(); });
    probe("node_descriptor", [&] { entry.node_descriptor(count); });
    probe("create_node(\"no_such.node_type\")", [&] {
        if (const nb_node_t *node = entry.create_node("no_such.node_type", "conformance", host.host()))
            node->destroy(node);  // the instance rule names this
    });
    if (nb_version_has(entry.abi, 1) && entry.get_extension)
        probe("get_extension", [&] { entry.get_extension(kUnknownExtensionId); });
    return probe.take();
}

bool throws_across_abi(const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
    for (const auto &call : probe_node_type(entry, d))
        if (!call.exception.empty()) return true;
    return false;
}

}  // namespace nb::conformance
