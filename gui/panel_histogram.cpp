// The Histogram panel: controls (bins, range, log scale, theory), the histogram with the
// theoretical density or mass drawn over it, the stats table against theory, and the QQ plot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "gui/panels.h"
#include "gui/plot.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/number_text.h"

namespace nl::gui {

namespace {

// The theory value comparable with bar densities at integer k: integers are one unit apart, so
// with bins at least 1 wide the mass per unit is the pmf itself; a narrower bin holding k
// carries all of k's mass in its width.
double discrete_theory(const stats::Distribution& d, int64_t k, double bin_width) {
    const double m = d.pdf(static_cast<double>(k));
    return bin_width >= 1.0 ? m : m / bin_width;
}

void controls(HistogramState& h) {
    AnalysisOptions& o = h.options;
    const float fs = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Bins");
    tooltip("Number of equal-width bins.");
    ImGui::SameLine();
    ImGui::Checkbox("auto##bins", &o.auto_bins);
    tooltip("Automatic: one bin per integer for discrete data, else the Freedman-Diaconis rule (10 to 200 bins).");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 5.5f);
    ImGui::BeginDisabled(o.auto_bins);
    int bins = o.auto_bins && h.analysis.valid ? static_cast<int>(h.analysis.hist.counts.size()) : o.bins;
    if (ImGui::DragInt("##bins", &bins, 0.5f, kMinBins, kMaxBins, "%d bins", ImGuiSliderFlags_AlwaysClamp)) o.bins = bins;
    ImGui::EndDisabled();
    tooltip("Chosen number of bins, 1 to 1000 (untick auto to change it).");
    // The check boxes move to a second line where the panel is too narrow (a 1024 px window).
    same_line_if_fits(checkbox_width("Log"));
    ImGui::Checkbox("Log", &h.log_scale);
    tooltip("Logarithmic density axis: shows the tails (empty bins are not drawn).");
    same_line_if_fits(checkbox_width("Theory"));
    ImGui::Checkbox("Theory", &h.show_theory);
    tooltip("Draw the density (continuous) or mass (discrete) of the chosen distribution over the bars.");
    same_line_if_fits(checkbox_width("QQ"));
    ImGui::Checkbox("QQ", &h.show_qq);
    tooltip("Show the QQ plot next to the stats table (left out while the panel is too narrow or short for both).");

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Range");
    tooltip("Values covered by the bins; values outside are counted separately.");
    ImGui::SameLine();
    if (ImGui::Checkbox("auto##range", &o.auto_range) && !o.auto_range && h.analysis.valid) {
        o.lo = h.analysis.hist.lo;  // start editing from what is shown
        o.hi = h.analysis.hist.hi;
    }
    tooltip("Automatic: the data's min to max (Cauchy: the central 98% of the theory; log-normal: up to its 99.5% "
            "quantile; their tails are extreme).");
    ImGui::SameLine();
    ImGui::BeginDisabled(o.auto_range);
    double lo = o.auto_range && h.analysis.valid ? h.analysis.hist.lo : o.lo;
    double hi = o.auto_range && h.analysis.valid ? h.analysis.hist.hi : o.hi;
    const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    const double speed = std::max(1e-3, (hi - lo) * 0.005);
    ImGui::SetNextItemWidth(w);
    const double hi_m = hi - 1e-9, lo_p = lo + 1e-9, big = 1e12;
    const double neg_big = -big;
    if (ImGui::DragScalar("##lo", ImGuiDataType_Double, &lo, static_cast<float>(speed), &neg_big, &hi_m, "from %.4g"))
        o.lo = lo;
    tooltip("Lower end of the histogram range (below the upper end).");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    if (ImGui::DragScalar("##hi", ImGuiDataType_Double, &hi, static_cast<float>(speed), &lo_p, &big, "to %.4g")) o.hi = hi;
    tooltip("Upper end of the histogram range (above the lower end).");
    ImGui::EndDisabled();
}

// The legend as a row of its own above the plot (inside it, it hid bars and theory points in
// whichever corner it sat). Returns the height it took.
float legend_row(bool theory, bool discrete) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    float x = o.x + fs * 0.5f;
    const float mid = o.y + fs * 0.6f;
    dl->AddRectFilled(ImVec2(x, mid - fs * 0.32f), ImVec2(x + fs * 0.9f, mid + fs * 0.32f), theme::kSample);
    x += fs * 1.3f;
    dl->AddText(ImVec2(x, o.y + fs * 0.1f), theme::kAxisText, "sample");
    x += ImGui::CalcTextSize("sample").x + fs * 1.5f;
    if (theory) {
        if (discrete) dl->AddCircleFilled(ImVec2(x + fs * 0.45f, mid), fs * 0.22f, theme::kTheory, 12);
        else dl->AddLine(ImVec2(x, mid), ImVec2(x + fs * 0.9f, mid), theme::kTheory, 2.5f);
        dl->AddText(ImVec2(x + fs * 1.3f, o.y + fs * 0.1f), theme::kAxisText, discrete ? "theory (mass)" : "theory (density)");
    }
    const float height = fs * 1.3f;
    ImGui::Dummy(ImVec2(1, height));
    return height + ImGui::GetStyle().ItemSpacing.y;
}

void histogram_plot(HistogramState& h, ImVec2 size) {
    const Analysis& a = h.analysis;
    const stats::Histogram& hist = a.hist;
    const bool discrete = a.dist.is_discrete();
    const bool theory = h.show_theory && a.theory_shown;
    // y range: the largest bar or theory value, with headroom.
    double ymax = 0, ymin_pos = INFINITY;
    for (size_t i = 0; i < hist.counts.size(); ++i) {
        const double d = hist.density(i);
        ymax = std::max(ymax, d);
        if (d > 0) ymin_pos = std::min(ymin_pos, d);
    }
    std::vector<std::pair<double, double>> curve;  // the density's (x, y), continuous theories
    if (theory) {
        const double bw = hist.bin_width();
        if (discrete) {
            int64_t k0 = static_cast<int64_t>(std::ceil(hist.lo)), k1 = static_cast<int64_t>(std::floor(hist.hi));
            if (k1 - k0 > 2000) k1 = k0 + 2000;
            for (int64_t k = k0; k <= k1; ++k) {
                const double m = discrete_theory(a.dist, k, bw);
                ymax = std::max(ymax, m);
                if (m > 0) ymin_pos = std::min(ymin_pos, m);
            }
        } else {
            curve = density_curve(a.dist, hist.lo, hist.hi);
            for (const auto& [x, y] : curve)
                if (std::isfinite(y)) ymax = std::max(ymax, y);
        }
    }
    if (!(ymax > 0)) ymax = 1;
    PlotSpec spec;
    spec.x0 = hist.lo;
    spec.x1 = hist.hi;
    spec.log_y = h.log_scale;
    if (h.log_scale) {
        spec.y1 = ymax * 2.0;
        spec.y0 = std::isfinite(ymin_pos) ? std::max(ymin_pos * 0.5, ymax * 1e-7) : ymax * 1e-3;
    } else {
        spec.y0 = 0;
        spec.y1 = ymax * 1.08;
    }
    spec.x_label = "value";
    spec.integer_x = discrete;
    // Bins of exactly one integer hold probabilities; others (several integers, or chosen
    // narrower bins) their mass per unit of value.
    spec.y_label = !discrete ? "density" : std::fabs(hist.bin_width() - 1.0) < 1e-9 ? "probability" : "probability per unit";
    size.y -= legend_row(theory, discrete);
    const PlotArea p = begin_plot("##histplot", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    h.hovered_bin = -1;
    const bool hovered = ImGui::IsItemHovered() && p.contains(mouse);
    const double bw = hist.bin_width();
    for (size_t i = 0; i < hist.counts.size(); ++i) {
        const double d = hist.density(i);
        if (d <= 0) continue;
        const double x0 = hist.lo + bw * static_cast<double>(i), x1 = x0 + bw;
        float l = p.sx(x0), r = p.sx(x1);
        if (r - l > 2.5f) {  // a hairline gap between wide bars
            l += 0.5f;
            r -= 0.5f;
        }
        const bool hot = hovered && mouse.x >= p.sx(x0) && mouse.x < p.sx(x1);
        if (hot) h.hovered_bin = static_cast<int>(i);
        const float top = p.sy(d), base = h.log_scale ? p.max.y : p.sy(0.0);
        dl->AddRectFilled(ImVec2(l, top), ImVec2(std::max(r, l + 1.0f), base), hot ? theme::kSampleHover : theme::kSample);
    }
    if (theory) {
        const float thick = std::max(2.0f, ImGui::GetFontSize() * 0.14f);
        if (discrete) {
            // Mass as dots on stems at each integer.
            int64_t k0 = static_cast<int64_t>(std::ceil(hist.lo)), k1 = static_cast<int64_t>(std::floor(hist.hi));
            if (k1 - k0 > 2000) k1 = k0 + 2000;
            const bool dots = (p.max.x - p.min.x) / std::max<double>(1, k1 - k0 + 1) > 6;
            std::vector<ImVec2> line;
            for (int64_t k = k0; k <= k1; ++k) {
                const double m = discrete_theory(a.dist, k, bw);
                if (!(m > 0)) continue;
                const ImVec2 pt(p.sx(static_cast<double>(k)), p.sy(m));
                if (dots) dl->AddCircleFilled(pt, thick * 1.6f, theme::kTheory, 12);
                else line.push_back(pt);
            }
            if (!line.empty()) dl->AddPolyline(line.data(), static_cast<int>(line.size()), theme::kTheory, 0, thick);
        } else {
            std::vector<ImVec2> pts;
            for (const auto& [x, y] : curve) {
                if (!std::isfinite(y) || (h.log_scale && y <= 0)) {
                    if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), theme::kTheory, 0, thick);
                    pts.clear();
                    continue;
                }
                pts.emplace_back(p.sx(x), std::min(p.sy(y), p.max.y + 2));
            }
            if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), theme::kTheory, 0, thick);
        }
    }
    end_plot();
    if (h.hovered_bin >= 0) {
        const size_t i = static_cast<size_t>(h.hovered_bin);
        const double x0 = hist.lo + bw * static_cast<double>(i);
        ImGui::BeginTooltip();
        ImGui::Text("bin %d: [%s, %s)", h.hovered_bin, fmt_num(x0).c_str(), fmt_num(x0 + bw).c_str());
        ImGui::Text("count %lld of %lld (%.3g%%)", static_cast<long long>(hist.counts[i]), static_cast<long long>(hist.total),
                    hist.total ? 100.0 * static_cast<double>(hist.counts[i]) / static_cast<double>(hist.total) : 0.0);
        ImGui::Text("density %s per unit", fmt_num(hist.density(i)).c_str());
        if (theory && !discrete) ImGui::Text("theory  %s per unit at the centre", fmt_num(a.dist.pdf(x0 + 0.5 * bw)).c_str());
        ImGui::EndTooltip();
    }
}

// The width at which the stats table shows its longest texts whole: the name column ("excess
// kurtosis") and the two number columns, which share the rest 1 : 1.3 ("-0.0007658" under sample,
// "D = 0.0004883" under theory), plus the cells' padding and borders.
float stats_table_width() {
    const float sample = ImGui::CalcTextSize("-0.0007658").x, theory = ImGui::CalcTextSize("D = 0.0004883").x;
    const float numbers = 2.3f * std::max(sample / 1.0f, theory / 1.3f);
    const float padding = 3.0f * 2.0f * ImGui::GetStyle().CellPadding.x + 4.0f;
    return ImGui::CalcTextSize("excess kurtosis").x + numbers + padding;
}

void stats_table(const HistogramState& h, float width) {
    const Analysis& a = h.analysis;
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoHostExtendX;
    if (!ImGui::BeginTable("##stats", 3, flags, ImVec2(width, 0))) return;
    // The names take what the longest needs; the numbers share the rest, the theory column's
    // "D = 0.0004883" / "194.9, 191 df" a little more.
    ImGui::TableSetupColumn("statistic", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("excess kurtosis").x);
    ImGui::TableSetupColumn("sample", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("theory", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableHeadersRow();
    const bool known = a.theory_known;
    auto row = [known](const char* name, const char* tip, double sample, double theory) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(name);
        tooltip(tip);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(fmt_measured(sample).c_str());
        tooltip(tip);
        ImGui::TableSetColumnIndex(2);
        if (std::isnan(theory)) ImGui::TextColored(theme::text_dim(), known ? "undefined" : "n/a");
        else ImGui::TextUnformatted(fmt_num(theory).c_str());
        tooltip(tip);
    };
    const stats::Moments& m = a.moments;
    row("mean", "Average of the values (value units).", m.mean, a.theory_mean);
    row("std", "Standard deviation, unbiased n-1 estimate (value units).", m.std, a.theory_std);
    row("skewness", "Asymmetry m3 / m2^1.5 (no unit; 0 for symmetric distributions).", m.skewness, a.theory_skewness);
    row("excess kurtosis", "The tail weight m4 / m2^2 - 3 (no unit; 0 for a normal).", m.excess_kurtosis, a.theory_kurtosis);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    // The test the distribution gets (also where there is none, a point mass).
    const bool order = a.dist.kind == stats::Distribution::Kind::Permutation;
    const bool chi = a.test_n > 0 ? a.test.test != "KS" : a.dist.is_discrete();
    ImGui::TextUnformatted(order ? "order p" : chi ? "\xCF\x87\xC2\xB2 p" : "KS p");  // χ² p
    char tip[480];
    if (order)
        std::snprintf(tip, sizeof tip,
                      "Order test of the first %lld values. A permutation holds every value once, so its histogram is flat "
                      "whatever the order; this chi-square test of position bands x value bands asks whether the order is "
                      "random.\np is the probability of a pattern at least this strong in a random order: small p (< 0.001) "
                      "means the order is not random.",
                      static_cast<long long>(a.test_n));
    else
        std::snprintf(tip, sizeof tip,
                      "%s goodness-of-fit test of the first %lld values against the theory.\n"
                      "p is the probability of a misfit at least this large if the sample follows the theory: "
                      "small p (< 0.001) means it does not.",
                      chi ? "Chi-square" : "Kolmogorov-Smirnov", static_cast<long long>(a.test_n));
    tooltip(tip);
    ImGui::TableSetColumnIndex(1);
    if (a.test_n > 0) {
        const double p = a.test.p_value;
        ImGui::TextColored(p < 1e-3 ? theme::text_error() : p < 0.05 ? theme::text_warn() : theme::text_ok(), "%s", fmt_num(p).c_str());
    } else {
        ImGui::TextColored(theme::text_dim(), "n/a");
    }
    tooltip(tip);
    ImGui::TableSetColumnIndex(2);
    if (a.test_n > 0) {
        if (chi) ImGui::Text("%s, %lld df", fmt_num(a.test.statistic).c_str(), static_cast<long long>(a.test.dof));
        else ImGui::Text("D = %s", fmt_num(a.test.statistic).c_str());
    }
    tooltip(chi ? "Chi-square statistic and its degrees of freedom." : "KS statistic D: largest gap between the sample and theoretical CDFs.");
    ImGui::EndTable();
    // Wrapped to the table's width: the QQ plot sits to the right of this block.
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::text_dim());
    const std::string tested = a.test_n > 0 ? ", test on the first " + group_digits(a.test_n) : std::string(", no test");
    if (m.n + m.nan_count + m.inf_count < a.values)
        text_wrapped("n = " + group_digits(m.n) + " of " + group_digits(a.values) + " values (live)" + tested);
    else
        text_wrapped("n = " + group_digits(m.n) + " values" + tested);
    ImGui::PopStyleColor();
    tooltip("Values in the histogram and moments (live mode: the first ones, to keep up with a new sample every frame); "
            "the test and the QQ plot use the first ones. By the streams' prefix stability the first values are a random sample too.");
    if (m.nan_count || m.inf_count) {
        ImGui::TextColored(theme::text_warn(), "%lld NaN, %lld inf left out", static_cast<long long>(m.nan_count), static_cast<long long>(m.inf_count));
        tooltip("Non-finite values are excluded from the statistics.");
    }
    if (a.hist.below || a.hist.above) {
        ImGui::TextColored(theme::text_dim(), "%lld below, %lld above the range", static_cast<long long>(a.hist.below),
                           static_cast<long long>(a.hist.above));
        tooltip("Values outside the histogram's range: counted here, not drawn.");
    }
    ImGui::PopTextWrapPos();
}

void qq_plot(const HistogramState& h, ImVec2 size) {
    const Analysis& a = h.analysis;
    if (a.qq.empty()) {
        ImGui::Dummy(size);
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& [t, s] : a.qq) {
        if (std::isfinite(t)) lo = std::min(lo, t), hi = std::max(hi, t);
        if (std::isfinite(s)) lo = std::min(lo, s), hi = std::max(hi, s);
    }
    if (!(hi > lo)) hi = lo + 1;
    const double pad = (hi - lo) * 0.05;
    PlotSpec spec;
    spec.x0 = lo - pad;
    spec.x1 = hi + pad;
    spec.y0 = lo - pad;
    spec.y1 = hi + pad;
    spec.x_label = "theory";  // as the y axis reads "sample": quantiles of each (the tooltip says so)
    spec.y_label = "sample";
    spec.equal_aspect = true;
    const PlotArea p = begin_plot("##qq", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const double d0 = std::min(p.x0, p.y0), d1 = std::max(p.x1, p.y1);
    dl->AddLine(ImVec2(p.sx(d0), p.sy(d0)), ImVec2(p.sx(d1), p.sy(d1)), theme::kTheory, 1.5f);
    const float r = std::max(2.0f, ImGui::GetFontSize() * 0.13f);
    std::vector<ImVec2> pts;
    pts.reserve(a.qq.size());
    for (const auto& [t, s] : a.qq)
        if (std::isfinite(t) && std::isfinite(s)) pts.emplace_back(p.sx(t), p.sy(s));
    draw_markers(dl, pts.data(), static_cast<int>(pts.size()), r, theme::kSample);
    end_plot();
    tooltip("QQ plot: sample quantiles against the theory's. Points on the diagonal mean the sample follows the distribution.");
}

}  // namespace

void draw_histogram_panel(HistogramState& h, const SamplerState& sampler, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    const ImGuiWindowFlags flags = theme::kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    if (ImGui::Begin(kHistogramWindow, nullptr, flags)) {
        controls(h);
        const Analysis& a = h.analysis;
        if (!a.valid) {
            ImGui::Spacing();
            text_wrapped(sampler.error.empty() ? theme::text_dim() : theme::text_error(),
                         a.error.empty() ? "No samples yet." : a.error);
        } else {
            const float fs = ImGui::GetFontSize();
            const ImVec2 avail = ImGui::GetContentRegionAvail();
            // Lower block: table (and QQ) ~ 12 lines; the histogram takes the rest.
            const float lower_h = std::min(avail.y * 0.45f, fs * 13.0f);
            const float hist_h = std::max(avail.y - lower_h - ImGui::GetStyle().ItemSpacing.y, fs * 6);
            text_fitted(theme::text_dim(), describe(sampler.drawn) + "  " + shape_str(sampler.drawn.shape) + "  " +
                                               dtype_name(sampler.drawn.dtype));
            tooltip("The distribution, shape and dtype of the sample shown.");
            histogram_plot(h, ImVec2(avail.x, hist_h - ImGui::GetTextLineHeightWithSpacing()));
            if (!a.error.empty()) {
                text_fitted(theme::text_warn(), a.error);
            }
            // The QQ plot takes what the table leaves beyond the room its numbers need; where that
            // is under 7 em the table is shown alone rather than with cut numbers.
            const float spacing = ImGui::GetStyle().ItemSpacing.x;
            const float table_need = stats_table_width();
            const float qq_room = std::min({lower_h, avail.x * 0.36f, avail.x - table_need - spacing});
            const bool qq = h.show_qq && qq_room >= fs * 7.0f;
            const float qq_w = qq ? qq_room : 0.0f;
            const float table_w = avail.x - qq_w - (qq ? spacing : 0.0f);
            ImGui::BeginGroup();
            stats_table(h, table_w);
            // A ticked QQ box with no plot would look broken: say why it is not there.
            if (h.show_qq && !qq && !a.qq.empty()) text_fitted(theme::text_dim(), "QQ plot: needs a wider panel");
            ImGui::EndGroup();
            if (qq) {
                ImGui::SameLine();
                qq_plot(h, ImVec2(qq_w, std::min(lower_h, ImGui::GetContentRegionAvail().y)));
            }
        }
    }
    ImGui::End();
}

}  // namespace nl::gui
