#include "elf_image.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>

namespace nb::host {
namespace {

template <typename T>
bool read_at(std::string_view image, std::uint64_t offset, T &out) {
    if (offset > image.size() || image.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, image.data() + offset, sizeof(T));
    return true;
}

// Reads and checks the ELF header; "" when it describes a 64-bit LE shared library.
std::string read_header(std::string_view image, Elf64_Ehdr &eh) {
    if (!read_at(image, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        return "not an ELF file";
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return "not a 64-bit little-endian ELF file";
    if (eh.e_type != ET_DYN) return "not a shared library";
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_phentsize != sizeof(Elf64_Phdr))
        return "unexpected ELF header sizes";
    return "";
}

bool inside(std::string_view image, std::uint64_t offset, std::uint64_t size) {
    return offset <= image.size() && image.size() - offset >= size;
}

}  // namespace

std::optional<std::string> read_image(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in.is_open()) return std::nullopt;
    std::string image(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    if (!in.read(image.data(), static_cast<std::streamsize>(image.size()))) return std::nullopt;
    return image;
}

std::string elf_image_problem(std::string_view image) {
    Elf64_Ehdr eh;
    if (auto problem = read_header(image, eh); !problem.empty()) return problem;
    if (!inside(image, eh.e_phoff, std::uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr)))
        return "truncated: program headers past the end of the file";
    if (!inside(image, eh.e_shoff, std::uint64_t{eh.e_shnum} * sizeof(Elf64_Shdr)))
        return "truncated: section headers past the end of the file";
    for (std::uint64_t i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        read_at(image, eh.e_phoff + i * sizeof(Elf64_Phdr), ph);
        if (ph.p_type == PT_LOAD && !inside(image, ph.p_offset, ph.p_filesz))
            return "truncated: a loadable segment ends past the end of the file";
    }
    return "";
}

ElfExports elf_exported_symbols(std::string_view image) {
    ElfExports out;
    out.error = elf_image_problem(image);
    if (!out.error.empty()) return out;
    Elf64_Ehdr eh;
    read_at(image, 0, eh);
    for (std::uint64_t i = 0; i < eh.e_shnum; ++i) {
        Elf64_Shdr sh;
        read_at(image, eh.e_shoff + i * sizeof(Elf64_Shdr), sh);
        if (sh.sh_type != SHT_DYNSYM) continue;
        Elf64_Shdr strtab;
        if (!read_at(image, eh.e_shoff + std::uint64_t{sh.sh_link} * sizeof(Elf64_Shdr), strtab) ||
            !inside(image, strtab.sh_offset, strtab.sh_size) ||
            !inside(image, sh.sh_offset, sh.sh_size)) {
            out.error = "truncated: dynamic symbols past the end of the file";
            return out;
        }
        const std::string_view names = image.substr(strtab.sh_offset, strtab.sh_size);
        for (std::uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            read_at(image, sh.sh_offset + off, sym);
            const unsigned bind = ELF64_ST_BIND(sym.st_info);
            const unsigned vis = ELF64_ST_VISIBILITY(sym.st_other);
            if (sym.st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK) ||
                (vis != STV_DEFAULT && vis != STV_PROTECTED) || sym.st_name >= names.size())
                continue;
            const std::string_view rest = names.substr(sym.st_name);
            out.symbols.emplace_back(rest.substr(0, rest.find('\0')));
        }
        return out;
    }
    out.error = "no dynamic symbol table";
    return out;
}

}  // namespace nb::host
