#pragma once

#include <ostream>
#include <streambuf>

namespace nb::conformance {

// Keeps what the plugins under test print out of the report. Nodes print on
// standard output (basic.log does), and CheckHost prints there what they log
// through the host; the report goes to a copy of the original standard
// output, and standard output itself goes to /dev/null unless `verbose`.
// Standard error is left alone: sanitizers report there.
class ReportOutput {
public:
    // Throws std::system_error when a descriptor cannot be copied or opened.
    explicit ReportOutput(bool verbose);
    ~ReportOutput();
    ReportOutput(const ReportOutput &) = delete;
    ReportOutput &operator=(const ReportOutput &) = delete;

    std::ostream &stream() { return stream_; }
    // doctest colours only a terminal on standard output, which may now be /dev/null.
    bool is_terminal() const;

private:
    // Unbuffered, so that the report and a crashing plugin's last words stay
    // in the order they happened.
    class FdBuffer : public std::streambuf {
    public:
        explicit FdBuffer(int fd) : fd_(fd) {}

    protected:
        int_type overflow(int_type c) override;
        std::streamsize xsputn(const char *s, std::streamsize n) override;

    private:
        int fd_;
    };

    int fd_;
    FdBuffer buffer_;
    std::ostream stream_;
};

}  // namespace nb::conformance
