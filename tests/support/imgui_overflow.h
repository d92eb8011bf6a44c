// What a user would see cut off at the right edge in the last Dear ImGui frame: windows (panels,
// child windows) whose items ran past their content region, and table cells or headers wider
// than their column. Text drawn straight onto a draw list is not seen here (no item records it).
#pragma once
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace nl::test {

inline std::vector<std::string> imgui_overflows(float tolerance_px = 1.0f) {
    std::vector<std::string> found;
    ImGuiContext& g = *GImGui;
    char line[256];
    for (ImGuiWindow* w : g.Windows) {
        if (!w->Active || w->Hidden) continue;
        // Tooltips and popups size themselves; a window with a horizontal scroll bar scrolls.
        if (w->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup | ImGuiWindowFlags_HorizontalScrollbar)) continue;
        const float over = w->DC.CursorMaxPos.x - w->ContentRegionRect.Max.x;
        if (over > tolerance_px) {
            std::snprintf(line, sizeof line, "window '%s': content %.0f px past its right edge", w->Name, over);
            found.emplace_back(line);
        }
    }
    for (int i = 0; i < g.Tables.GetMapSize(); ++i) {
        const ImGuiTable* t = g.Tables.TryGetMapData(i);
        if (!t || t->LastFrameActive != g.FrameCount || !t->OuterWindow || !t->OuterWindow->Active) continue;
        if (t->Flags & ImGuiTableFlags_ScrollX) continue;
        for (int c = 0; c < t->ColumnsCount; ++c) {
            const ImGuiTableColumn& col = t->Columns[c];
            if (!col.IsEnabled) continue;
            const float content = std::max({col.ContentMaxXFrozen, col.ContentMaxXUnfrozen, col.ContentMaxXHeadersIdeal});
            const float over = content - col.WorkMaxX;
            if (over > tolerance_px) {
                std::snprintf(line, sizeof line, "table in '%s', column %d ('%s'): %.0f px cut", t->OuterWindow->Name, c,
                              col.NameOffset >= 0 ? t->ColumnsNames.Buf.Data + col.NameOffset : "", over);
                found.emplace_back(line);
            }
        }
    }
    return found;
}

}  // namespace nl::test
