// What the Open dialog shows of a folder: its subfolders (to walk into) and the files Noise Lab
// can open (.png made by it, session .json), sorted, hidden entries left out. No ImGui here, so
// tests list real temporary folders.
#pragma once
#include <string>
#include <vector>

namespace nl::gui {

struct FolderListing {
    std::string folder;                // as asked ("" means ".")
    std::string absolute;              // the folder's absolute, normalised path, for the title
    std::vector<std::string> folders;  // subfolder names, sorted
    std::vector<std::string> files;    // .png and .json names, sorted
    bool truncated = false;            // more than kMaxEntries entries: the rest left out
    std::string error;                 // why the folder could not be read ("" when it could)
    static constexpr size_t kMaxEntries = 1000;
};

FolderListing list_openable(const std::string& folder);

// The folder above `folder` ("/" stays "/"); relative folders go up through their absolute path.
std::string parent_folder(const std::string& folder);
// `name` inside `folder`.
std::string join_path(const std::string& folder, const std::string& name);
// Whether `path` names an existing folder.
bool is_folder(const std::string& path);

}  // namespace nl::gui
