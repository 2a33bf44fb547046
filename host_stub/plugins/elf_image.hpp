#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nb::host {

// The whole file in one read (a sanitizer build of a plugin is tens of MB, too
// many for a byte-wise stream); nullopt with errno set when it cannot be read.
std::optional<std::string> read_image(const std::filesystem::path &file);

// Why the dynamic loader must not be handed this 64-bit little-endian ELF
// image, or "" when it is a shared library whose headers and loadable
// segments all lie inside the file. glibc maps a truncated library without
// complaint and the process then dies of SIGBUS, so a host checks first.
std::string elf_image_problem(std::string_view image);

struct ElfExports {
    std::vector<std::string> symbols;  // defined, global or weak, default/protected visibility
    std::string error;                 // non-empty when the image could not be read
};

// The dynamic symbol table: what a dynamic loader can resolve from the image,
// which is what "exported" means. Every offset is bounds-checked.
ElfExports elf_exported_symbols(std::string_view image);

}  // namespace nb::host
