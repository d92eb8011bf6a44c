"""PyTorch eager baseline for models_bench: the same guided 50-step DDIM as models/diffusion.cpp
(cosine schedule, guidance 3, the conditional and unconditional halves in one batched forward pass
of 2 x batch images, x0 clipped to [-1, 1]) on the shipped digits UNet weights, on one device.
Prints the median wall time of --repeats runs after one warm-up run (CUDA synchronised).

Usage: python3 bench/models/torch_ddim.py [--device cuda] [--batch 256] [--repeats 3]
PyTorch's defaults are kept (cuDNN, TF32 allowed in convolutions, benchmark mode off): 'eager' as a
user runs it."""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "train"))
import common  # noqa: E402
import nets  # noqa: E402
from train_digits_diffusion import load_state  # noqa: E402


def noise_level_embedding(alpha_bar, dim=32):
    """common.noise_level_embedding with its frequency table on alpha_bar's device."""
    lsnr = torch.log(alpha_bar) - torch.log1p(-alpha_bar)
    half = dim // 2
    freqs = torch.exp(-math.log(1000.0) * torch.arange(half, dtype=torch.float32, device=alpha_bar.device) / half)
    args = (lsnr[:, None] * 25.0) * freqs[None, :]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


nets.noise_level_embedding = noise_level_embedding


@torch.no_grad()
def ddim(model, labels, ab, steps, guidance, gen, device):
    T = len(ab)
    ts = np.linspace(T - 1, 0, steps).round().astype(int)
    n = len(labels)
    x = torch.randn(n, 1, 20, 20, generator=gen, device=device)
    both_labels = torch.cat([labels, torch.full_like(labels, 10)])
    for i, t in enumerate(ts):
        a = float(ab[t])
        e = model(torch.cat([x, x]), torch.full((2 * n,), a, device=device), both_labels)
        e_c, e_u = e[:n], e[n:]
        eps = e_u + guidance * (e_c - e_u)
        x0 = ((x - math.sqrt(1 - a) * eps) / math.sqrt(a)).clamp(-1, 1)
        eps = (x - math.sqrt(a) * x0) / math.sqrt(1 - a)
        a_prev = float(ab[ts[i + 1]]) if i + 1 < len(ts) else 1.0
        x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    device = torch.device(a.device)
    state = load_state(os.path.join(common.ASSETS, "digits_diffusion.safetensors"))
    # The widths the weights were trained with (the C++ UNet reads them from the file too).
    model = nets.DigitsDenoiser(c=state["conv_in.weight"].shape[0], emb=state["t1.weight"].shape[0])
    model.load_state_dict(state)
    model = model.to(device).eval()
    ab = common.alpha_bar_cosine(1000)
    labels = (torch.arange(a.batch) % 10).to(device)
    gen = torch.Generator(device=device).manual_seed(1)

    def run():
        x = ddim(model, labels, ab, a.steps, 3.0, gen, device)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return x

    run()  # warm-up: cuDNN handles, the caching allocator
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1e3)
    ms = sorted(times)[len(times) // 2]
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"torch {torch.__version__} eager ({name}): digits DDIM {a.steps} steps, batch {a.batch}, "
          f"guidance 3 : {ms:.2f} ms ({ms / a.steps:.3f} ms/step)")


if __name__ == "__main__":
    main()
