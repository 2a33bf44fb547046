#include "descriptor_rules.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>

#include "utf8.hpp"

namespace nb::conformance {
namespace {

class Findings {
public:
    explicit Findings(const char *id) : id_(id && *id ? id : "<no id>") {}
    void add(const std::string &what) { out_.push_back(id_ + ": " + what); }
    std::vector<std::string> take() { return std::move(out_); }

private:
    std::string id_;
    std::vector<std::string> out_;
};

bool present(const char *s) { return s && *s; }

void check_text(Findings &f, const char *field, const char *s, bool required) {
    if (!s) {
        if (required) f.add(std::string(field) + " is NULL");
        return;
    }
    if (required && !*s) f.add(std::string(field) + " is empty");
    if (!is_valid_utf8(s)) f.add(std::string(field) + " is not valid UTF-8");
}

bool lower_word(std::string_view s) {
    if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
    for (const char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

// "category.name": two lower-case words (letters, digits, '_', a letter first).
bool is_node_id(std::string_view id) {
    const auto dot = id.find('.');
    return dot != std::string_view::npos && lower_word(id.substr(0, dot)) &&
           lower_word(id.substr(dot + 1));
}

bool is_number_without_leading_zero(std::string_view s) {
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool is_identifier_list(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-'))
            return false;
    return true;
}

// Semantic Versioning 2.0: MAJOR.MINOR.PATCH[-pre-release][+build].
bool is_semver(std::string_view v) {
    const auto plus = v.find('+');
    if (plus != std::string_view::npos) {
        if (!is_identifier_list(v.substr(plus + 1))) return false;
        v = v.substr(0, plus);
    }
    const auto dash = v.find('-');
    if (dash != std::string_view::npos) {
        if (!is_identifier_list(v.substr(dash + 1))) return false;
        v = v.substr(0, dash);
    }
    for (int part = 0; part < 3; ++part) {
        const auto dot = v.find('.');
        if ((part < 2) == (dot == std::string_view::npos)) return false;
        if (!is_number_without_leading_zero(v.substr(0, dot))) return false;
        v = part < 2 ? v.substr(dot + 1) : std::string_view{};
    }
    return true;
}

bool parse_int64(const char *s, long long &out) {
    if (!present(s)) return false;
    errno = 0;
    char *end = nullptr;
    out = std::strtoll(s, &end, 10);
    return errno == 0 && end && *end == '\0';
}

void check_sockets(Findings &f, const char *side, const nb_socket_desc_t *sockets,
                   uint32_t count) {
    if (count && !sockets) {
        f.add(std::string(side) + ": count is " + std::to_string(count) + " but the array is NULL");
        return;
    }
    std::set<std::string> names;
    for (uint32_t i = 0; i < count; ++i) {
        const auto &s = sockets[i];
        const std::string where = std::string(side) + "[" + std::to_string(i) + "]";
        check_text(f, (where + ".name").c_str(), s.name, true);
        check_text(f, (where + ".description").c_str(), s.description, false);
        if (present(s.name) && !names.insert(s.name).second)
            f.add(where + ": socket name '" + s.name + "' is used twice");
        if (!s.type || std::strcmp(s.type, NB_SOCKET_TEXT) != 0)
            f.add(where + ": unknown socket type '" + (s.type ? s.type : "NULL") + "'");
    }
}

void check_widget(Findings &f, const nb_widget_desc_t &w, const std::string &where) {
    check_text(f, (where + ".description").c_str(), w.description, false);
    check_text(f, (where + ".default").c_str(), w.default_value, false);
    const std::string name = present(w.name) ? w.name : where;
    switch (w.kind) {
    case NB_WIDGET_NUMBER: {
        long long v = 0;
        if (w.min > w.max) f.add("widget '" + name + "': min is above max");
        if (!parse_int64(w.default_value, v))
            f.add("widget '" + name + "': default is not an integer");
        else if (v < w.min || v > w.max)
            f.add("widget '" + name + "': default " + w.default_value + " is outside " +
                  std::to_string(w.min) + "-" + std::to_string(w.max));
        break;
    }
    case NB_WIDGET_TEXT:
        break;
    case NB_WIDGET_CHOICE: {
        if (w.choice_count == 0 || !w.choices) {
            f.add("widget '" + name + "': a choice widget without choices");
            break;
        }
        bool found = false;
        for (uint32_t i = 0; i < w.choice_count; ++i) {
            check_text(f, ("widget '" + name + "' choice").c_str(), w.choices[i], true);
            if (w.choices[i] && w.default_value && std::strcmp(w.choices[i], w.default_value) == 0)
                found = true;
        }
        if (!found) f.add("widget '" + name + "': default is not one of its choices");
        break;
    }
    default:
        f.add("widget '" + name + "': unknown kind " + std::to_string(static_cast<int>(w.kind)));
    }
}

}  // namespace

std::vector<std::string> descriptor_violations(const nb_node_descriptor_t &d) {
    Findings f(d.id);
    if (!nb_version_is_compatible(d.abi))
        f.add("descriptor ABI major " + std::to_string(d.abi.major) + " is not " +
              std::to_string(NB_VERSION_MAJOR));
    check_text(f, "id", d.id, true);
    if (present(d.id) && !is_node_id(d.id))
        f.add("id must look like 'category.name' (lower case, digits, '_')");
    check_text(f, "title", d.title, true);
    check_text(f, "description", d.description, false);
    check_text(f, "category", d.category, true);
    check_text(f, "version", d.version, true);
    if (present(d.version) && !is_semver(d.version))
        f.add(std::string("version '") + d.version + "' is not a semantic version");
    if (d.tag_count && !d.tags) f.add("tags: count without an array");
    for (uint32_t i = 0; d.tags && i < d.tag_count; ++i)
        check_text(f, ("tags[" + std::to_string(i) + "]").c_str(), d.tags[i], true);

    check_sockets(f, "inputs", d.inputs, d.input_count);
    check_sockets(f, "outputs", d.outputs, d.output_count);

    if (d.widget_count && !d.widgets) {
        f.add("widgets: count without an array");
    } else {
        std::set<std::string> names;
        for (uint32_t i = 0; i < d.widget_count; ++i) {
            const std::string where = "widgets[" + std::to_string(i) + "]";
            check_text(f, (where + ".name").c_str(), d.widgets[i].name, true);
            if (present(d.widgets[i].name) && !names.insert(d.widgets[i].name).second)
                f.add(where + ": widget name '" + d.widgets[i].name + "' is used twice");
            check_widget(f, d.widgets[i], where);
        }
    }

    if (d.flags & ~static_cast<uint32_t>(NB_NODE_KNOWN_FLAGS))
        f.add("unknown flags " + std::to_string(d.flags & ~static_cast<uint32_t>(NB_NODE_KNOWN_FLAGS)));
    if ((d.flags & NB_NODE_EVENT_SOURCE) && d.input_count)
        f.add("an event source must have no inputs");
    return f.take();
}

bool descriptor_arrays_readable(const nb_node_descriptor_t &d) {
    const auto readable = [](uint32_t count, const void *array) { return count == 0 || array; };
    if (!readable(d.tag_count, d.tags) || !readable(d.input_count, d.inputs) ||
        !readable(d.output_count, d.outputs) || !readable(d.widget_count, d.widgets))
        return false;
    for (uint32_t i = 0; i < d.widget_count; ++i)
        if (!readable(d.widgets[i].choice_count, d.widgets[i].choices)) return false;
    return true;
}

std::vector<std::string> descriptor_set_violations(
    const std::vector<const nb_node_descriptor_t *> &descriptors) {
    std::vector<std::string> out;
    std::set<std::string> ids;
    for (const auto *d : descriptors) {
        if (!d) {
            out.push_back("node_descriptor returned NULL for an index below node_count");
            continue;
        }
        if (present(d->id) && !ids.insert(d->id).second)
            out.push_back(std::string(d->id) + ": id is used by two node types");
    }
    return out;
}

std::map<std::string, std::vector<std::string>> providers_by_type(const std::vector<ProvidedTypes> &plugins) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto &p : plugins) {
        std::set<std::string> own;
        for (const auto *d : p.descriptors)
            if (d && present(d->id) && own.insert(d->id).second) out[d->id].push_back(p.plugin);
    }
    return out;
}

}  // namespace nb::conformance
