// gui/folder_listing.h
#include "gui/folder_listing.h"

#include <algorithm>
#include <filesystem>

#include "gui/text_util.h"

namespace nl::gui {

namespace fs = std::filesystem;

namespace {

std::string absolute_of(const std::string& folder) {
    std::error_code ec;
    const fs::path p = fs::absolute(folder.empty() ? "." : folder, ec);
    return ec ? folder : p.lexically_normal().string();
}

}  // namespace

FolderListing list_openable(const std::string& folder) {
    FolderListing out;
    out.folder = folder;
    out.absolute = absolute_of(folder);
    std::error_code ec;
    fs::directory_iterator it(folder.empty() ? "." : folder, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        out.error = "cannot read " + out.absolute + ": " + ec.message();
        return out;
    }
    for (const fs::directory_entry& entry : it) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] == '.') continue;  // hidden, like .git
        if (out.folders.size() + out.files.size() >= FolderListing::kMaxEntries) {
            out.truncated = true;
            break;
        }
        std::error_code kind_ec;
        if (entry.is_directory(kind_ec)) {
            out.folders.push_back(name);
        } else if (entry.is_regular_file(kind_ec)) {
            const std::string ext = lower_ascii(entry.path().extension().string());
            if (ext == ".png" || ext == ".json") out.files.push_back(name);
        }
    }
    std::sort(out.folders.begin(), out.folders.end());
    std::sort(out.files.begin(), out.files.end());
    return out;
}

std::string parent_folder(const std::string& folder) {
    const fs::path p(absolute_of(folder));
    const fs::path up = p.has_relative_path() ? p.parent_path() : p;
    // "/a/b/" normalises to "/a/b/": its parent_path is "/a/b"; step once more.
    if (!p.empty() && p.filename().empty() && p.has_relative_path()) return up.parent_path().string();
    return up.string();
}

std::string join_path(const std::string& folder, const std::string& name) {
    return (fs::path(folder.empty() ? "." : folder) / name).lexically_normal().string();
}

bool is_folder(const std::string& path) {
    std::error_code ec;
    return !path.empty() && fs::is_directory(path, ec);
}

}  // namespace nl::gui
