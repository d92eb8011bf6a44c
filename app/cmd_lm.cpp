// `noiselab lm`: the character-level language model trained on Debian's word lists. Samples
// --n words (seeded) with --temperature, --top-k and --top-p, optionally from a --prefix;
// --next PREFIX prints the next-character distribution instead.
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "models/charlm.h"
#include "models/cli_support.h"
#include "models/nets.h"
#include "models/weights.h"

namespace nl::app {

int cmd_lm(int argc, char** argv) {
    CLI::App app{"Sample words from the character-level language model.", "noiselab lm"};
    models::cli::CommonFlags f;
    f.n = 20;
    models::CharSampling s;
    std::string prefix, next, weights;
    bool show_next = false;
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
    show_next = nx->count() > 0;
    try {
        if (!f.out.empty() || !f.npy.empty()) throw ValueError("noiselab lm prints words; --out and --npy do not apply");
        if (s.top_p <= 0.0) throw ValueError("--top-p must be > 0");
        models::CharMLP lm(models::Weights::load(weights.empty() ? models::asset_path("charlm.safetensors") : weights));
        lm.to(parse_device(f.device));
        if (show_next) {
            const std::vector<double> p = models::next_char_probs(lm, next, s).to_vector();
            std::cout << "next character after '" << next << "':\n";
            for (size_t k = 0; k < p.size(); ++k)
                if (p[k] > 0)
                    std::cout << "  " << (k == 0 ? std::string("(end)") : std::string(1, models::char_of(k))) << "  "
                              << std::fixed << std::setprecision(4) << p[k] << "\n";
            return 0;
        }
        for (const std::string& w : models::sample_words(lm, f.n, s, f.seed, prefix)) std::cout << w << "\n";
        return 0;
    } catch (const Error& e) {
        std::cerr << "noiselab lm: error: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app
