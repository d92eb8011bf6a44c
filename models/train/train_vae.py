"""Trains the digits VAEs (assets/digits_vae2.safetensors with a 2-D latent for latent-map walks,
assets/digits_vae16.safetensors with a 16-D one). Bernoulli likelihood on pixels in [0, 1].
Usage: /usr/bin/python3 models/train/train_vae.py [--epochs N]"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

from common import ASSETS, GOLDEN, load_digits, save_safetensors, seed_everything
from nets import DigitsVAE


def train(z_dim, x, xh, epochs):
    model = DigitsVAE(z_dim)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 100):
            xb = x[perm[i:i + 100]]
            mu, logvar = model.encode(xb)
            z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
            rec = F.binary_cross_entropy(model.decode(z), xb, reduction="sum") / len(xb)
            kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum() / len(xb)
            loss = rec + kl
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        mu, logvar = model.encode(xh)
        rec = F.binary_cross_entropy(model.decode(mu), xh, reduction="sum").item() / len(xh)
        kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum() / len(xh)).item()
    return model.eval(), rec, kl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    seed_everything(args.seed)
    x, _, xh, _ = load_digits()
    x, xh = (x + 1) / 2, (xh + 1) / 2
    report = {}
    for z_dim in (2, 16):
        start = time.time()
        model, rec, kl = train(z_dim, x, xh, args.epochs)
        meta = {"model": f"digits_vae{z_dim}", "z_dim": z_dim, "seed": args.seed, "epochs": args.epochs,
                "heldout_recon_bce": rec, "heldout_kl": kl, "heldout_neg_elbo": rec + kl,
                "train_seconds": round(time.time() - start, 1)}
        save_safetensors(os.path.join(ASSETS, f"digits_vae{z_dim}.safetensors"), model.state_dict(), meta)
        gen = torch.Generator().manual_seed(123)
        z = torch.randn(16, z_dim, generator=gen)
        with torch.no_grad():
            mu, logvar = model.encode(xh[:8])
            save_safetensors(os.path.join(GOLDEN, f"vae{z_dim}_forward.safetensors"),
                             {"z": z, "decoded": model.decode(z), "x": xh[:8], "mu": mu, "logvar": logvar},
                             {"model": f"digits_vae{z_dim}"})
        report[f"vae{z_dim}"] = meta
        print(meta, flush=True)
    json.dump(report, open(os.path.join(os.path.dirname(__file__), "reports", "vae.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
