#include "plugin_library.hpp"

#include <cerrno>
#include <cstring>
#include <functional>
#include <string_view>

#include "abi_extensions.hpp"
#include "elf_image.hpp"

namespace nb::host {
namespace {

// "incompatible ABI 2.0.0 (host speaks 1.x)"
std::string incompatible_abi(const nb_version_t &v) {
    return "incompatible ABI " + std::to_string(v.major) + "." + std::to_string(v.minor) + "." +
           std::to_string(v.revision) + " (host speaks " + std::to_string(NB_VERSION_MAJOR) + ".x)";
}

}  // namespace

std::unique_ptr<PluginLibrary> PluginLibrary::open(const std::filesystem::path &file,
                                                   std::string &why) {
    const auto image = read_image(file);
    if (!image) {
        why = std::string("cannot read: ") + std::strerror(errno);
        return nullptr;
    }
    if (auto problem = elf_image_problem(*image); !problem.empty()) {
        why = "not a loadable shared library: " + problem;
        return nullptr;
    }
    boost::dll::shared_library library;
    try {
        // rtld_now: an unresolved symbol is a skip now, not a crash mid-run.
        library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception &e) {  // std::system_error under BOOST_DLL_USE_STD_FS
        why = std::string("not a loadable shared library: ") + e.what();
        return nullptr;
    }
    if (!library.has(NB_PLUGIN_ENTRY_SYMBOL)) {
        why = "no " NB_PLUGIN_ENTRY_SYMBOL " symbol";
        return nullptr;
    }
    const auto *entry = &library.get<const nb_plugin_entry_t>(NB_PLUGIN_ENTRY_SYMBOL);
    if (!nb_version_is_compatible(entry->abi)) {
        why = incompatible_abi(entry->abi);
        return nullptr;
    }
    if (!entry->init || !entry->deinit || !entry->node_count || !entry->node_descriptor ||
        !entry->create_node) {
        why = NB_PLUGIN_ENTRY_SYMBOL " has a NULL function";
        return nullptr;
    }
    if (!entry->init(file.c_str())) {
        why = "init returned false";
        return nullptr;
    }
    const std::pair<std::size_t, std::size_t> fingerprint{std::hash<std::string_view>()(*image), image->size()};
    return std::unique_ptr<PluginLibrary>(new PluginLibrary(file, std::move(library), entry, fingerprint));
}

PluginLibrary::PluginLibrary(std::filesystem::path path, boost::dll::shared_library library,
                             const nb_plugin_entry_t *entry, std::pair<std::size_t, std::size_t> fingerprint)
    : path_(std::move(path)), library_(std::move(library)), entry_(entry), fingerprint_(fingerprint) {
    const uint32_t count = entry_->node_count();
    for (uint32_t i = 0; i < count; ++i) {
        const nb_node_descriptor_t *d = entry_->node_descriptor(i);
        const std::string index = std::to_string(i);
        if (!d) {
            skipped_.push_back("descriptor " + index + ": node_descriptor(" + index + ") returned NULL");
        } else if (!d->id) {
            skipped_.push_back("descriptor " + index + ": no id");
        } else if (!nb_version_is_compatible(d->abi)) {
            // id is read where every major so far has it, right after abi:
            // without it the warning could not name the node type.
            skipped_.push_back("node type \"" + std::string(d->id) + "\": " + incompatible_abi(d->abi));
        } else {
            descriptors_.push_back(d);
        }
    }
}

const void *PluginLibrary::extension(const char *id) const { return plugin_extension(*entry_, id); }

PluginLibrary::~PluginLibrary() {
    descriptors_.clear();
    entry_->deinit();
    // library_ unloads after this body, once nothing from it is referenced.
}

}  // namespace nb::host
