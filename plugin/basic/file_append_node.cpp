#include <cerrno>
#include <cstring>
#include <mutex>

#include <fcntl.h>
#include <unistd.h>

#include <json_text.hpp>

#include "nodes.hpp"

namespace nb::basic {
namespace {

const char *const tags[] = {"basic", "file", "output", "sink"};
const nb_socket_desc_t inputs[] = {{"text", NB_SOCKET_TEXT, "The text to append"}};
const char *const formats[] = {"text", "json"};
const nb_widget_desc_t widgets[] = {
    {"file", NB_WIDGET_TEXT, "webhook-output.txt", 0, 0,
     "Path of the file to append to, relative to the host's working folder; created if missing",
     nullptr, 0},
    {"format", NB_WIDGET_CHOICE, "text", 0, 0,
     "text: the text and a newline; json: the text as one JSON string literal and a newline",
     formats, 2}};

const nb_node_descriptor_t node_descriptor = {
    NB_VERSION_INIT,
    "basic.file_append",
    "File Append",
    "Appends one line per run to a file. In text format the line is the text itself; in json "
    "format it is the text as a JSON string literal, so every run stays one line whatever it "
    "holds. The file stays open across runs and each run is a single write.",
    "Basic",
    "1.0.0",
    tags, 4,
    inputs, 1,
    nullptr, 0,
    widgets, 2,
    0};

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    Fd &operator=(Fd &&other) noexcept {
        reset();
        fd_ = other.fd_;
        other.fd_ = -1;
        return *this;
    }
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

class FileAppendNode final : public Node {
public:
    explicit FileAppendNode(std::string id) : Node(node_descriptor, std::move(id)) {}

    nb_status_t execute(const nb_run_t &run) override {
        std::string_view text;
        if (!input(run, "text", text)) return NB_ERR_INVALID;
        std::string line;
        if (widget("format") == "json") {
            append_json_string(line, text);
        } else {
            line.assign(text);
        }
        line += '\n';
        // The host never runs one instance twice at once; the lock keeps the
        // node safe even so, and guards the fd against widget_changed.
        std::lock_guard lock(mutex_);
        if (file_.get() < 0) {
            const std::string &path = widget("file");
            file_ = Fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
            if (file_.get() < 0) {
                return fail(NB_ERR_IO, "cannot open \"" + path + "\": " + std::strerror(errno));
            }
        }
        // O_APPEND and one write per run: lines of concurrent writers never mix.
        size_t done = 0;
        while (done < line.size()) {
            const ssize_t n = ::write(file_.get(), line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                return fail(NB_ERR_IO, "cannot write to \"" + widget("file") + "\": " + std::strerror(errno));
            }
            done += static_cast<size_t>(n);
        }
        return NB_OK;
    }

private:
    std::string check_widget(const std::string &name, const std::string &value) const override {
        return name == "file" && value.empty() ? "file must name a file" : "";
    }

    void widget_changed(const std::string &name) override {
        std::lock_guard lock(mutex_);
        if (name == "file") file_.reset();
    }

    std::mutex mutex_;
    Fd file_;
};

}  // namespace

const NodeKind file_append_kind{node_descriptor, [](std::string id) -> std::unique_ptr<Node> {
                                    return std::make_unique<FileAppendNode>(std::move(id));
                                }};

}  // namespace nb::basic
