#include "report_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace nb::conformance {
namespace {

std::system_error os_error(const char *what) {
    return std::system_error(errno, std::generic_category(), what);
}

// A copy of standard output for the report; standard output itself pointed
// at /dev/null unless `verbose`.
int report_descriptor(bool verbose) {
    std::fflush(stdout);
    const int report = ::dup(STDOUT_FILENO);
    if (report < 0) throw os_error("cannot copy standard output");
    ::fcntl(report, F_SETFD, FD_CLOEXEC);
    if (verbose) return report;
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0 || ::dup2(null, STDOUT_FILENO) < 0) {
        const auto error = os_error("cannot point standard output at /dev/null");
        ::close(report);
        if (null >= 0) ::close(null);
        throw error;
    }
    ::close(null);
    return report;
}

}  // namespace

ReportOutput::ReportOutput(bool verbose)
    : fd_(report_descriptor(verbose)), buffer_(fd_), stream_(&buffer_) {}

ReportOutput::~ReportOutput() { ::close(fd_); }

bool ReportOutput::is_terminal() const { return ::isatty(fd_) == 1; }

ReportOutput::FdBuffer::int_type ReportOutput::FdBuffer::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

std::streamsize ReportOutput::FdBuffer::xsputn(const char *s, std::streamsize n) {
    std::streamsize done = 0;
    while (done < n) {
        const ssize_t wrote = ::write(fd_, s + done, static_cast<std::size_t>(n - done));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) break;
        done += wrote;
    }
    return done;
}

}  // namespace nb::conformance
