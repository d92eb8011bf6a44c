// Sampling words from the character model: the next-character distribution, temperature, top-k
// and top-p (nucleus) filtering of logits, and seeded generation of whole words.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/nets.h"
#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::models {

// Symbols: 0 = '.' (word boundary), 1..26 = 'a'..'z'.
char char_of(int64_t symbol);
int64_t symbol_of(char c);  // ValueError for anything but a-z and '.'

// Logits [V] or [R, V] with all but the k largest of each row set to -inf (ties at the k-th value
// are all kept, so the result never depends on sort stability). k = 0 disables; k < 0 ValueError.
Tensor top_k_filter(const Tensor& logits, int64_t k);
// Keeps, per row, the smallest set of most probable entries (softmax(logits / temperature)) whose
// probability reaches p; the rest become -inf. p in (0, 1]; p = 1 disables. The most probable
// entry is always kept. Temperature is applied first because nucleus sampling cuts the tempered
// distribution.
Tensor top_p_filter(const Tensor& logits, double p, double temperature = 1.0);

struct CharSampling {
    double temperature = 1.0;  // 0 = greedy (argmax)
    int64_t top_k = 0;         // 0 = off
    double top_p = 1.0;        // 1 = off
    int max_length = 24;       // characters per word before it is cut
    void validate() const;
};

// The next-character distribution after `prefix` (a-z only): probabilities [27] (float64) with the
// sampling settings applied (temperature, top-k, top-p), as sample_words draws from.
Tensor next_char_probs(const CharMLP& model, const std::string& prefix, const CharSampling& s);

// n words, each started from `prefix` and extended until '.' or max_length; one Generator seeded
// by `seed`, words drawn in order, one draw per character.
std::vector<std::string> sample_words(const CharMLP& model, int64_t n, const CharSampling& s, uint64_t seed,
                                      const std::string& prefix = "");

// The words as symbols: int64 [n, L] with L = the longest word's length + 1; row i holds word i's
// symbols (1-26 = a-z) followed by 0, the end symbol, repeated to L (so every row ends a word).
// `noiselab lm --npy` writes it. ValueError for a character outside a-z.
Tensor words_tensor(const std::vector<std::string>& words);

// Mean negative log-likelihood in nats per symbol (word end included) of `words` under the model.
double char_nll(const CharMLP& model, const std::vector<std::string>& words);

}  // namespace nl::models
