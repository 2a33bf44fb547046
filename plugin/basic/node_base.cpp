#include "node_base.hpp"

#include "abi_guard.hpp"
#include "integer.hpp"
#include "json_text.hpp"

namespace nb::basic {
namespace {

// What publish allocates: the C struct and the C++ object it fronts.
struct Instance {
    nb_node_t abi;
    std::unique_ptr<Node> node;
};

Node &node_of(const nb_node_t *n) { return *static_cast<Instance *>(n->node_data)->node; }

// Exceptions stop here: the caller is C.
template <typename Call>
nb_status_t guarded(const nb_node_t *n, Call call) noexcept {
    Node &node = node_of(n);
    return abi_guard([&] { return call(node); },
                     [&node](nb_status_t status, const char *message) {
                         return node.fail(status, message);
                     });
}

// [main-thread]
void destroy(const nb_node_t *n) { delete static_cast<Instance *>(n->node_data); }

// [main-thread]
nb_status_t set_widget(const nb_node_t *n, const char *name, const char *value) {
    return guarded(n, [&](Node &node) { return node.set_widget(name, value); });
}

// [main-thread]
const char *get_widget(const nb_node_t *n, const char *name) {
    try {
        return node_of(n).get_widget(name);
    } catch (...) {
        return nullptr;
    }
}

// [main-thread] Basic nodes do not listen.
nb_status_t start(const nb_node_t *) { return NB_OK; }
// [main-thread]
void stop(const nb_node_t *) {}

// [worker-thread]
nb_status_t execute(const nb_node_t *n, const nb_run_t *run) {
    return guarded(n, [&](Node &node) {
        node.clear_error();
        return node.execute(*run);
    });
}

// [the thread of the failed call]
const char *last_error(const nb_node_t *n) { return node_of(n).last_error(); }

}  // namespace

Node::Node(const nb_node_descriptor_t &descriptor, std::string id)
    : descriptor_(descriptor), id_(std::move(id)) {
    for (uint32_t i = 0; i < descriptor_.widget_count; ++i) {
        widgets_[descriptor_.widgets[i].name] = descriptor_.widgets[i].default_value;
    }
}

nb_status_t Node::fail(nb_status_t status, std::string message) {
    last_error_ = std::move(message);
    return status;
}

nb_status_t Node::set_widget(const char *name, const char *value) {
    clear_error();
    const nb_widget_desc_t *w = nullptr;
    for (uint32_t i = 0; i < descriptor_.widget_count; ++i) {
        if (std::string_view(name) == descriptor_.widgets[i].name) w = &descriptor_.widgets[i];
    }
    if (!w) return fail(NB_ERR_UNKNOWN, std::string("unknown widget \"") + name + "\"");
    const std::string text(value);
    const std::string got = " (got " + quoted_value(text) + ")";
    const auto number = w->kind == NB_WIDGET_NUMBER ? parse_integer(text) : std::nullopt;
    if (w->kind == NB_WIDGET_NUMBER && (!number || *number < w->min || *number > w->max)) {
        return fail(NB_ERR_INVALID, std::string(name) + " must be an integer from " +
                                        std::to_string(w->min) + " to " + std::to_string(w->max) + got);
    }
    if (w->kind == NB_WIDGET_CHOICE) {
        bool listed = false;
        std::string choices;
        for (uint32_t i = 0; i < w->choice_count; ++i) {
            listed = listed || text == w->choices[i];
            choices += (i ? ", " : "") + std::string(w->choices[i]);
        }
        if (!listed) return fail(NB_ERR_INVALID, std::string(name) + " must be one of: " + choices + got);
    }
    if (const std::string why = check_widget(name, text); !why.empty()) {
        return fail(NB_ERR_INVALID, why + got);
    }
    widgets_[name] = text;
    widget_changed(name);
    return NB_OK;
}

const char *Node::get_widget(const char *name) const {
    const auto it = widgets_.find(name);
    return it == widgets_.end() ? nullptr : it->second.c_str();
}

std::string Node::check_widget(const std::string &, const std::string &) const { return {}; }

void Node::widget_changed(const std::string &) {}

bool Node::input(const nb_run_t &run, const char *socket, std::string_view &out) {
    const char *data = nullptr;
    size_t len = 0;
    if (!run.get_input(&run, socket, &data, &len)) {
        fail(NB_ERR_INVALID, std::string("input \"") + socket + "\" received no value");
        return false;
    }
    out = std::string_view(data, len);
    return true;
}

const nb_node_t *publish(std::unique_ptr<Node> node) {
    auto instance = std::make_unique<Instance>();
    instance->node = std::move(node);
    instance->abi = {NB_VERSION_INIT, &instance->node->descriptor(), instance.get(), destroy,
                     set_widget, get_widget, start, stop, execute, last_error, nullptr};
    return &instance.release()->abi;
}

}  // namespace nb::basic
