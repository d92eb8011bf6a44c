"""Trains the 2D toy diffusion denoiser (assets/toy2d_diffusion.safetensors): one MLP for the five
data sets (moons, swiss roll, 8 gaussians, checkerboard, spiral), conditioned on the noise level
(log-SNR) so it serves the linear and the cosine schedule alike.

The learning rate is constant after a 200-step warm-up and the exported weights are an EMA
(0.999, with warm-up), so a run stopped after its checkpoint at step N (--save-every) has written
exactly what `--steps N` writes: the weights, the golden forward pass and the report. Every
--eval-every steps it prints MMD^2 of PyTorch DDIM-100 (cosine) samples vs fresh data per data
set (the kernel of models/metrics.h); the C++ figures come from bench/models/models_quality.
Usage: NOISELAB_TRAIN_THREADS=1 /usr/bin/python3 models/train/train_toy2d.py [--steps N] [--seed S]
       [--hidden H] [--fourier F] [--batch B] [--lr LR] [--decay] [--eval-every K] [--save-every K] [--out DIR]"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch

from common import (ASSETS, GOLDEN, TOY_NAMES, alpha_bar_cosine, alpha_bar_linear, save_safetensors,
                    seed_everything, toy2d)
from nets import Toy2DDenoiser


def mmd2(x, y):
    """Unbiased MMD^2 with Gaussian kernels of bandwidths 0.05..1, as models/metrics.cpp."""
    x, y = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)

    def k(a, b):
        d2 = torch.cdist(a, b) ** 2
        return sum(torch.exp(-d2 / (2 * h * h)) for h in (0.05, 0.1, 0.2, 0.5, 1.0))

    n, m = len(x), len(y)
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    return float((kxx.sum() - kxx.diag().sum()) / (n * (n - 1)) + (kyy.sum() - kyy.diag().sum()) / (m * (m - 1))
                 - 2 * kxy.mean())


@torch.no_grad()
def ddim_sample(model, ds, n, alpha_bar, steps=100, seed=0):
    """Deterministic DDIM (eta 0), timesteps T-1..0 evenly spaced and rounded, no clipping."""
    ts = np.round(np.linspace(len(alpha_bar) - 1, 0, steps)).astype(np.int64)
    x = torch.randn(n, 2, generator=torch.Generator().manual_seed(seed))
    d = torch.full((n,), ds, dtype=torch.long)
    for i, t in enumerate(ts):
        ab = alpha_bar[t]
        ab_prev = alpha_bar[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
        eps = model(x, ab.expand(n), d)
        x0 = (x - (1 - ab).sqrt() * eps) / ab.sqrt()
        x = ab_prev.sqrt() * x0 + (1 - ab_prev).sqrt() * eps
    return x


def evaluate(model, alpha_bar, n):
    rng = np.random.default_rng(12345)  # its own streams: evaluating does not change the training run
    return [mmd2(ddim_sample(model, ds, n, alpha_bar, seed=ds), toy2d(TOY_NAMES[ds], n, rng)) for ds in range(5)]


def export(model, meta, out_dir=None):
    """Writes the weights, the golden forward pass and the report into the repository, or all three
    under `out_dir` (an experiment's folder: copy them over to ship them)."""
    model.eval()
    assets, golden = (out_dir, out_dir) if out_dir else (ASSETS, GOLDEN)
    reports = out_dir if out_dir else os.path.join(os.path.dirname(__file__), "reports")
    save_safetensors(os.path.join(assets, "toy2d_diffusion.safetensors"), model.state_dict(), meta)
    # Golden forward pass: fixed inputs -> outputs, checked by tests/models.
    g = torch.Generator().manual_seed(123)
    x = torch.randn(64, 2, generator=g)
    ab = torch.rand(64, generator=g) * 0.98 + 0.01
    ds = torch.arange(64) % 5
    with torch.no_grad():
        out = model(x, ab, ds)
    save_safetensors(os.path.join(golden, "toy2d_forward.safetensors"),
                     {"x": x, "alpha_bar": ab, "dataset": ds, "eps": out}, {"model": "toy2d_diffusion"})
    os.makedirs(reports, exist_ok=True)
    with open(os.path.join(reports, "toy2d.json"), "w") as f:
        json.dump(meta, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=2e-3, help="learning rate (200 warm-up steps, then constant)")
    ap.add_argument("--decay", action="store_true",
                    help="cosine decay of the learning rate to 1%% over --steps (then a run stopped early is not "
                         "the same as a shorter run)")
    ap.add_argument("--out", default="", help="write the three output files under this folder, not the repository")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--fourier", type=int, default=6, help="Fourier frequencies of x (nets.py Toy2DDenoiser)")
    ap.add_argument("--eval-every", type=int, default=2000, help="PyTorch MMD^2 every K steps (0: never)")
    ap.add_argument("--eval-points", type=int, default=500)
    ap.add_argument("--save-every", type=int, default=2000, help="export the EMA weights every K steps (0: at the end)")
    args = ap.parse_args()
    seed_everything(args.seed)
    rng = np.random.default_rng(args.seed)
    T = 1000
    schedules = torch.tensor(np.stack([alpha_bar_linear(T), alpha_bar_cosine(T)]), dtype=torch.float32)
    model = Toy2DDenoiser(hidden=args.hidden, fourier=args.fourier)
    ema_model = Toy2DDenoiser(hidden=args.hidden, fourier=args.fourier)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 200) * (
        0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps))) if args.decay else 1.0))
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()}  # buffers (x_freqs) stay as they are
    params = dict(model.named_parameters())
    start, batch, losses, evals, eval_seconds = time.time(), args.batch, [], [], 0.0
    for step in range(args.steps):
        ds = rng.integers(0, 5, batch)
        x0 = np.concatenate([toy2d(TOY_NAMES[d], int((ds == d).sum()), rng) for d in range(5)])
        ds = np.sort(ds)
        x0 = torch.from_numpy(x0)
        t = torch.randint(0, T, (batch,))
        s = torch.randint(0, 2, (batch,))
        ab = schedules[s, t]
        eps = torch.randn_like(x0)
        xt = ab.sqrt()[:, None] * x0 + (1 - ab).sqrt()[:, None] * eps
        loss = ((model(xt, ab, torch.from_numpy(ds)) - eps) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            decay = min(0.999, (1 + step) / (10 + step))  # EMA with warm-up: early weights fade fast
            for k, v in params.items():
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
        losses.append(loss.item())
        done = step + 1
        if step % 1000 == 0:
            print(f"step {step} loss {np.mean(losses[-500:]):.4f} {time.time() - start - eval_seconds:.0f}s", flush=True)
        is_eval = args.eval_every > 0 and (done % args.eval_every == 0 or done == args.steps)
        is_save = done == args.steps or (args.save_every > 0 and done % args.save_every == 0)
        if not (is_eval or is_save):
            continue
        te = time.time()
        ema_model.load_state_dict(ema)
        ema_model.eval()
        if is_eval:
            m = evaluate(ema_model, schedules[1], args.eval_points)
            evals.append({"step": done, "mmd2": [round(v, 5) for v in m]})
            print(f"step {done} PyTorch DDIM-100 MMD^2 ({args.eval_points} points): "
                  + " ".join(f"{n} {v:.4f}" for n, v in zip(TOY_NAMES, m)), flush=True)
        if is_save:
            meta = {"model": "toy2d_diffusion", "datasets": ",".join(TOY_NAMES), "T": T, "seed": args.seed,
                    "steps": done, "final_loss": float(np.mean(losses[-1000:])),
                    "train_seconds": round(te - start - eval_seconds, 1), "batch": batch, "lr": args.lr,
                    "lr_decay": "cosine to 1%" if args.decay else "constant",
                    "hidden": args.hidden, "fourier": args.fourier, "threads": torch.get_num_threads(),
                    "command": f"train_toy2d.py --steps {done} --seed {args.seed} --lr {args.lr} --batch {batch} "
                               f"--hidden {args.hidden} --fourier {args.fourier}" + (" --decay" if args.decay else "")}
            export(ema_model, dict(meta, pytorch_mmd2=evals), args.out or None)
            print(meta, flush=True)
        eval_seconds += time.time() - te


if __name__ == "__main__":
    main()
