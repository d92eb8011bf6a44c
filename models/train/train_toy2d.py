"""Trains the 2D toy diffusion denoiser (assets/toy2d_diffusion.safetensors): one MLP for the five
data sets (moons, swiss roll, 8 gaussians, checkerboard, spiral), conditioned on the noise level
(log-SNR) so it serves the linear and the cosine schedule alike.
Usage: NOISELAB_TRAIN_THREADS=1 /usr/bin/python3 models/train/train_toy2d.py [--steps N] [--seed S]"""
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate (200 warm-up steps, cosine decay)")
    ap.add_argument("--batch", type=int, default=1024)
    args = ap.parse_args()
    seed_everything(args.seed)
    rng = np.random.default_rng(args.seed)
    T = 1000
    schedules = torch.tensor(np.stack([alpha_bar_linear(T), alpha_bar_cosine(T)]), dtype=torch.float32)
    model = Toy2DDenoiser()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 200) * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps)))))
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
    start, batch, losses = time.time(), args.batch, []
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
            for k, v in model.state_dict().items():
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
        losses.append(loss.item())
        if step % 1000 == 0:
            print(f"step {step} loss {np.mean(losses[-500:]):.4f} {time.time() - start:.0f}s", flush=True)
    model.load_state_dict(ema)
    model.eval()
    meta = {"model": "toy2d_diffusion", "datasets": ",".join(TOY_NAMES), "T": T, "seed": args.seed,
            "steps": args.steps, "final_loss": float(np.mean(losses[-1000:])),
            "train_seconds": round(time.time() - start, 1), "batch": batch, "lr": args.lr,
            "threads": torch.get_num_threads(),
            "command": f"train_toy2d.py --steps {args.steps} --seed {args.seed} --lr {args.lr} --batch {batch}"}
    save_safetensors(os.path.join(ASSETS, "toy2d_diffusion.safetensors"), model.state_dict(), meta)
    # Golden forward pass: fixed inputs -> outputs, checked by tests/models.
    g = torch.Generator().manual_seed(123)
    x = torch.randn(64, 2, generator=g)
    ab = torch.rand(64, generator=g) * 0.98 + 0.01
    ds = torch.arange(64) % 5
    with torch.no_grad():
        out = model(x, ab, ds)
    save_safetensors(os.path.join(GOLDEN, "toy2d_forward.safetensors"),
                     {"x": x, "alpha_bar": ab, "dataset": ds, "eps": out}, {"model": "toy2d_diffusion"})
    os.makedirs(os.path.join(os.path.dirname(__file__), "reports"), exist_ok=True)
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "toy2d.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
