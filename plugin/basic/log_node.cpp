#include <cstdio>

#include "nodes.hpp"

namespace nb::basic {
namespace {

const char *const tags[] = {"basic", "log", "debug", "output"};
const nb_socket_desc_t inputs[] = {{"text", NB_SOCKET_TEXT, "The text to print"}};

const nb_node_descriptor_t node_descriptor = {
    NB_VERSION_INIT,
    "basic.log",
    "Log",
    "Prints its input to standard output, one line per run: \"[run N] NODE_ID: TEXT\". "
    "So that a run is always exactly one line, a line feed in TEXT prints as \\n, a carriage "
    "return as \\r and a backslash as \\\\.",
    "Basic",
    "1.0.0",
    tags, 4,
    inputs, 1,
    nullptr, 0,
    nullptr, 0,
    0};

class LogNode final : public Node {
public:
    explicit LogNode(std::string id) : Node(node_descriptor, std::move(id)) {}

    nb_status_t execute(const nb_run_t &run) override {
        std::string_view text;
        if (!input(run, "text", text)) return NB_ERR_INVALID;
        std::string line = "[run " + std::to_string(run.run_id) + "] " + id() + ": ";
        line.reserve(line.size() + text.size() + 1);
        for (const char c : text) {
            switch (c) {
            case '\n': line += "\\n"; break;
            case '\r': line += "\\r"; break;
            case '\\': line += "\\\\"; break;
            default: line += c;
            }
        }
        line += '\n';
        // One fwrite: stdio locks the stream per call, so lines from several
        // workers never interleave.
        if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() || std::fflush(stdout) != 0) {
            return fail(NB_ERR_IO, "cannot write to standard output");
        }
        return NB_OK;
    }
};

}  // namespace

const NodeKind log_kind{node_descriptor, [](std::string id) -> std::unique_ptr<Node> {
                            return std::make_unique<LogNode>(std::move(id));
                        }};

}  // namespace nb::basic
