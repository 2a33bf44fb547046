// The workflow-file loader: any bytes either parse or throw WorkflowError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "workflow/workflow_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string_view json(reinterpret_cast<const char *>(data), size);
    try {
        (void)nb::host::parse_workflow(json, "fuzz.json");
    } catch (const nb::host::WorkflowError &) {
        // A refusal is the expected answer to bad input.
    }
    return 0;
}
