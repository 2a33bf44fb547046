#include "descriptor_json.hpp"

#include "json_text.hpp"

namespace nb {
namespace {

const char *text_or_empty(const char *s) { return s ? s : ""; }

void append_sockets(std::string &out, const char *key, const nb_socket_desc_t *sockets,
                    uint32_t count) {
    out += "  \"";
    out += key;
    out += "\": [";
    for (uint32_t i = 0; i < count; ++i) {
        out += i ? ",\n    {" : "\n    {";
        out += "\"name\": ";
        append_json_string(out, text_or_empty(sockets[i].name));
        out += ", \"type\": ";
        append_json_string(out, text_or_empty(sockets[i].type));
        out += ", \"description\": ";
        append_json_string(out, text_or_empty(sockets[i].description));
        out += "}";
    }
    out += count ? "\n  ],\n" : "],\n";
}

void append_widget(std::string &out, const nb_widget_desc_t &w) {
    out += "{\"name\": ";
    append_json_string(out, text_or_empty(w.name));
    out += ", \"kind\": ";
    append_json_string(out, widget_kind_name(w.kind));
    out += ", \"default\": ";
    append_json_string(out, text_or_empty(w.default_value));
    if (w.kind == NB_WIDGET_NUMBER) {
        out += ", \"min\": " + std::to_string(w.min) + ", \"max\": " + std::to_string(w.max);
    }
    if (w.kind == NB_WIDGET_CHOICE) {
        out += ", \"choices\": [";
        for (uint32_t i = 0; i < w.choice_count; ++i) {
            if (i) out += ", ";
            append_json_string(out, text_or_empty(w.choices[i]));
        }
        out += "]";
    }
    out += ", \"description\": ";
    append_json_string(out, text_or_empty(w.description));
    out += "}";
}

}  // namespace

const char *widget_kind_name(nb_widget_kind_t kind) {
    switch (kind) {
    case NB_WIDGET_NUMBER: return "number";
    case NB_WIDGET_TEXT: return "text";
    case NB_WIDGET_CHOICE: return "choice";
    }
    return "unknown";
}

std::string descriptor_to_json(const nb_node_descriptor_t &d) {
    std::string out = "{\n";
    const auto field = [&out](const char *key, const char *value) {
        out += "  \"";
        out += key;
        out += "\": ";
        append_json_string(out, text_or_empty(value));
        out += ",\n";
    };
    field("id", d.id);
    field("title", d.title);
    field("description", d.description);
    field("category", d.category);
    field("version", d.version);
    out += "  \"tags\": [";
    for (uint32_t i = 0; i < d.tag_count; ++i) {
        if (i) out += ", ";
        append_json_string(out, text_or_empty(d.tags[i]));
    }
    out += "],\n  \"flags\": [";
    if (d.flags & NB_NODE_EVENT_SOURCE) out += "\"event_source\"";
    out += "],\n";
    append_sockets(out, "inputs", d.inputs, d.input_count);
    append_sockets(out, "outputs", d.outputs, d.output_count);
    out += "  \"widgets\": [";
    for (uint32_t i = 0; i < d.widget_count; ++i) {
        out += i ? ",\n    " : "\n    ";
        append_widget(out, d.widgets[i]);
    }
    out += d.widget_count ? "\n  ]\n}\n" : "]\n}\n";
    return out;
}

}  // namespace nb
