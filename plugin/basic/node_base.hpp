#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nb/plugin.h>

namespace nb::basic {

// The C++ side of one node instance. node_base.cpp turns it into an nb_node_t
// whose trampolines catch every exception, so none crosses the ABI.
class Node {
public:
    Node(const nb_node_descriptor_t &descriptor, std::string id);
    virtual ~Node() = default;
    Node(const Node &) = delete;
    Node &operator=(const Node &) = delete;

    // [main-thread] Checks kind, range and choices from the descriptor, then
    // check_widget; on error the previous value stays.
    nb_status_t set_widget(const char *name, const char *value);
    const char *get_widget(const char *name) const;
    // [worker-thread]
    virtual nb_status_t execute(const nb_run_t &run) = 0;

    const nb_node_descriptor_t &descriptor() const { return descriptor_; }
    const char *last_error() const { return last_error_.c_str(); }
    void clear_error() { last_error_.clear(); }
    nb_status_t fail(nb_status_t status, std::string message);

protected:
    const std::string &id() const { return id_; }
    const std::string &widget(const std::string &name) const { return widgets_.at(name); }
    // Node-specific refusal of a value that passed the generic checks; "" accepts.
    virtual std::string check_widget(const std::string &name, const std::string &value) const;
    // [main-thread] After a widget took a new value.
    virtual void widget_changed(const std::string &name);
    // The input's bytes, or a failure naming the socket when nothing arrived.
    bool input(const nb_run_t &run, const char *socket, std::string_view &out);

private:
    const nb_node_descriptor_t &descriptor_;
    const std::string id_;
    std::map<std::string, std::string> widgets_;
    std::string last_error_;
};

// Hands `node` to the ABI: the returned instance owns it until its destroy.
const nb_node_t *publish(std::unique_ptr<Node> node);

}  // namespace nb::basic
