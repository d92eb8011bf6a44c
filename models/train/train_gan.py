"""Trains the class-conditional DCGAN generator for digits (assets/digits_gan.safetensors): hinge
loss, spectral-norm projection discriminator, Adam(2e-4, 0.5, 0.999).
Usage: /usr/bin/python3 models/train/train_gan.py [--steps N]"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import ASSETS, GOLDEN, load_digits, save_safetensors, seed_everything
from nets import DigitsDiscriminator, DigitsGenerator


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    seed_everything(args.seed)
    x, y, _, _ = load_digits()
    G, D = DigitsGenerator(), DigitsDiscriminator()
    og = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    start, batch, hist = time.time(), 64, []
    for step in range(args.steps):
        idx = torch.randint(0, len(x), (batch,))
        real, lab = x[idx], y[idx]
        z = torch.randn(batch, G.z_dim)
        fake = G(z, lab)
        d_loss = F.relu(1 - D(real, lab)).mean() + F.relu(1 + D(fake.detach(), lab)).mean()
        od.zero_grad()
        d_loss.backward()
        od.step()
        g_loss = -D(fake, lab).mean()
        og.zero_grad()
        g_loss.backward()
        og.step()
        hist.append((d_loss.item(), g_loss.item()))
        if step % 500 == 0:
            d, g = np.mean(hist[-500:], 0)
            print(f"step {step} d {d:.3f} g {g:.3f} {time.time() - start:.0f}s", flush=True)
    # Batch-norm running statistics from a pass in train mode over many latents, then eval mode.
    G.train()
    for m in G.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # cumulative average
    with torch.no_grad():
        for _ in range(50):
            G(torch.randn(200, G.z_dim), torch.randint(0, 10, (200,)))
    G.eval()
    d, g = np.mean(hist[-500:], 0)
    meta = {"model": "digits_gan", "z_dim": G.z_dim, "seed": args.seed, "steps": args.steps,
            "final_d_loss": float(d), "final_g_loss": float(g), "train_seconds": round(time.time() - start, 1)}
    sd = {k: v for k, v in G.state_dict().items() if not k.endswith("num_batches_tracked")}
    save_safetensors(os.path.join(ASSETS, "digits_gan.safetensors"), sd, meta)
    gen = torch.Generator().manual_seed(123)
    z = torch.randn(16, G.z_dim, generator=gen)
    lab = torch.arange(16) % 10
    with torch.no_grad():
        out = G(z, lab)
    save_safetensors(os.path.join(GOLDEN, "gan_forward.safetensors"), {"z": z, "label": lab, "image": out},
                     {"model": "digits_gan"})
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "gan.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
