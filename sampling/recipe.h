// How a draw is written into a recipe (tensor/io/recipe.h) and read back, one encoding for
// `noiselab sample` and the app, so each opens what the other exported: the op is the
// distribution's name; its parameters are numbers under their keys; multinomial keeps its probs
// in the recipe's list and "replacement" as "true" / "false"; categorical keeps its logits
// (negative or -inf, which that list cannot hold) as text that reads back to the same doubles;
// "engine" is written only for engines other than philox, so recipes of Noise Lab's own streams
// stay as they were before engines existed.
#pragma once
#include "sampling/draw.h"
#include "tensor/io/recipe.h"

namespace nl::sampling {

// Sets op, params, probs, shape, dtype and device of `r`; leaves the stream position, the hash
// and the app's extra to the caller.
void write_draw(const Draw& d, io::Recipe& r);
// The draw a recipe describes. Parameters it omits take PyTorch's defaults. ValueError naming the
// field ("recipe field 'params.std': ...") for an unknown op or parameter, a missing required
// one, a malformed replacement, engine or logits; the values' ranges are the caller's to check.
Draw read_draw(const io::Recipe& r);

}  // namespace nl::sampling
