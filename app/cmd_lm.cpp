// `noiselab lm`: the character-level language model trained on Debian's word lists. Samples
// --n words (seeded) with --temperature, --top-k and --top-p, optionally from a --prefix;
// --next PREFIX prints the next-character distribution instead. --out draws the words (or the
// distribution's bars) into a PNG carrying the recipe; --npy writes the words as symbols [n, L]
// (models::words_tensor) or the distribution as float64 [27].
#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "gui/render/text_charts.h"
#include "models/charlm.h"
#include "models/cli_support.h"
#include "models/nets.h"
#include "models/weights.h"

namespace nl::app {

namespace {

// "temperature 0.8, top-k 10, top-p 0.9, seed 7": the settings a picture of the output is titled with.
std::string settings_line(const models::CharSampling& s, uint64_t seed, bool with_seed) {
    char temperature[32], top_p[32];
    std::snprintf(temperature, sizeof temperature, "%g", s.temperature);
    std::snprintf(top_p, sizeof top_p, "%g", s.top_p);
    std::string line = std::string("temperature ") + temperature + ", top-k " +
                       (s.top_k > 0 ? std::to_string(s.top_k) : "off") + ", top-p " + (s.top_p < 1.0 ? top_p : "off");
    if (with_seed) line += ", seed " + std::to_string(seed);
    return line;
}

// One word column per 25 words, so a default run of 20 is a single list and 10,000 fit a page.
int sheet_columns(size_t words) { return static_cast<int>(std::clamp<size_t>((words + 24) / 25, 1, 64)); }

}  // namespace

int cmd_lm(int argc, char** argv) {
    CLI::App app{"Sample words from the character-level language model.", "noiselab lm"};
    models::cli::CommonFlags f;
    f.n = 20;
    models::CharSampling s;
    std::string prefix, next, weights;
    app.add_option("--temperature", s.temperature, "softmax temperature (0 = greedy)")->check(CLI::Range(0.0, 100.0));
    app.add_option("--top-k", s.top_k, "keep the k most likely characters (0 = off)")->check(CLI::Range(int64_t(0), int64_t(27)));
    app.add_option("--top-p", s.top_p, "nucleus: keep the most likely characters up to this mass (1 = off)")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--prefix", prefix, "start every word with these letters (a-z)");
    app.add_option("--max-length", s.max_length, "longest word (1-1000)")->check(CLI::Range(1, 1000));
    auto* nx = app.add_option("--next", next, "print the next-character distribution after PREFIX ('' = word start)");
    app.add_option("--weights", weights, "a weight file other than the shipped one");
    models::cli::add_common_flags(app, f);
    if (int rc = models::cli::parse(app, argc, argv, "lm"); rc >= 0) return rc;
    const bool show_next = nx->count() > 0;
    try {
        if (s.top_p <= 0.0) throw ValueError("--top-p must be > 0");
        models::CharMLP lm(models::Weights::load(weights.empty() ? models::asset_path("charlm.safetensors") : weights));
        lm.to(parse_device(f.device));
        const std::string command = models::cli::command_line(argc, argv, "lm");
        if (show_next) {
            const Tensor probs = models::next_char_probs(lm, next, s).cpu();
            const std::vector<double> p = probs.to_vector();
            std::vector<std::string> labels;
            std::cout << "next character after '" << next << "':\n";
            for (size_t k = 0; k < p.size(); ++k) {
                labels.push_back(k == 0 ? std::string("(end)") : std::string(1, models::char_of(static_cast<int64_t>(k))));
                if (p[k] > 0) std::cout << "  " << labels.back() << "  " << std::fixed << std::setprecision(4) << p[k] << "\n";
            }
            labels[0] = ".";  // the end symbol, as the model writes it; "(end)" is too wide for a bar
            render::ChartOptions chart;
            chart.width = 900;
            chart.height = 420;
            chart.title = "next character after '" + next + "' (" + settings_line(s, f.seed, false) + ")";
            const render::Image img = render::probability_bars(labels, p, chart);
            io::Recipe r = models::cli::model_recipe("lm-next", probs, f, command);
            r.params = {{"temperature", s.temperature}, {"top_k", double(s.top_k)}, {"top_p", s.top_p}, {"prefix", next}};
            models::cli::write_outputs(f, f.out.empty() ? nullptr : &img, probs, r);
            return 0;
        }
        const std::vector<std::string> words = models::sample_words(lm, f.n, s, f.seed, prefix);
        for (const std::string& w : words) std::cout << w << "\n";
        if (f.out.empty() && f.npy.empty()) return 0;
        const Tensor symbols = models::words_tensor(words);
        std::string title = "noiselab lm: " + settings_line(s, f.seed, true);
        if (!prefix.empty()) title += ", prefix '" + prefix + "'";
        const render::Image img =
            f.out.empty() ? render::Image{} : render::word_sheet(title, words, sheet_columns(words.size()));
        io::Recipe r = models::cli::model_recipe("lm-sample", symbols, f, command);
        r.params = {{"temperature", s.temperature}, {"top_k", double(s.top_k)}, {"top_p", s.top_p},
                    {"max_length", double(s.max_length)}, {"prefix", prefix}};
        models::cli::write_outputs(f, f.out.empty() ? nullptr : &img, symbols, r);
        return 0;
    } catch (const Error& e) {
        std::cerr << "noiselab lm: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
