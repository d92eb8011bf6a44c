// gui/folder_listing.h: what the Open dialog lists of a real folder (subfolders to walk into,
// the .png and .json files, sorted, hidden entries left out) and how it goes up and in.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gui/folder_listing.h"

namespace fs = std::filesystem;
using namespace nl::gui;

namespace {

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempFolder {
    fs::path path;
    TempFolder() {
        path = fs::temp_directory_path() / ("noiselab-listing-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    void touch(const std::string& name) const { std::ofstream(path / name) << "x"; }
};

}  // namespace

TEST(FolderListing, SubfoldersAndOpenableFilesSortedHiddenLeftOut) {
    TempFolder t;
    for (const char* f : {"b.png", "a.json", "notes.txt", "UPPER.PNG", ".hidden.png", "tensor.npy"}) t.touch(f);
    fs::create_directories(t.path / "runs");
    fs::create_directories(t.path / "Alpha");
    fs::create_directories(t.path / ".git");
    const FolderListing L = list_openable(t.path.string());
    EXPECT_EQ(L.error, "");
    EXPECT_EQ(L.folders, (std::vector<std::string>{"Alpha", "runs"}));
    EXPECT_EQ(L.files, (std::vector<std::string>{"UPPER.PNG", "a.json", "b.png"}));
    EXPECT_FALSE(L.truncated);
    EXPECT_EQ(L.absolute, fs::absolute(t.path).lexically_normal().string());
}

TEST(FolderListing, UpAndInAndMissingFolders) {
    TempFolder t;
    fs::create_directories(t.path / "runs" / "day1");
    const std::string runs = join_path(t.path.string(), "runs");
    EXPECT_TRUE(is_folder(runs));
    EXPECT_EQ(parent_folder(runs), fs::absolute(t.path).lexically_normal().string());
    EXPECT_EQ(parent_folder(runs + "/"), fs::absolute(t.path).lexically_normal().string()) << "a trailing slash";
    EXPECT_EQ(parent_folder("/"), "/");
    EXPECT_EQ(list_openable(runs).folders, (std::vector<std::string>{"day1"}));
    const FolderListing missing = list_openable((t.path / "nope").string());
    EXPECT_NE(missing.error.find("cannot read"), std::string::npos) << missing.error;
    EXPECT_TRUE(missing.folders.empty() && missing.files.empty());
    EXPECT_FALSE(is_folder((t.path / "nope").string()));
    EXPECT_FALSE(is_folder(""));
}

TEST(FolderListing, AHugeFolderIsCutAndSaysSo) {
    TempFolder t;
    for (size_t i = 0; i < FolderListing::kMaxEntries + 5; ++i) t.touch("f" + std::to_string(i) + ".json");
    const FolderListing L = list_openable(t.path.string());
    EXPECT_TRUE(L.truncated);
    EXPECT_EQ(L.files.size(), FolderListing::kMaxEntries);
}
