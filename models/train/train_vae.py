"""Trains the digits VAEs (assets/digits_vae2.safetensors with a 2-D latent for latent-map walks,
assets/digits_vae16.safetensors with a 16-D one). Bernoulli likelihood on pixels in [0, 1].
Adam(1e-3) with a cosine decay of the learning rate to 1e-5 over the run; the weights of the last
epoch ship (the held-out curve is logged every few epochs, not used to pick an epoch, so the
held-out figures in the report stay unbiased).
Usage: NOISELAB_TRAIN_THREADS=1 /usr/bin/python3 models/train/train_vae.py [--epochs N] [--z-dims 2,16]"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from common import ASSETS, GOLDEN, load_digits, save_safetensors, seed_everything
from nets import DigitsVAE


@torch.no_grad()
def heldout(model, xh, samples=0):
    """Held-out per-digit (recon BCE, KL). The recon term decodes the posterior mean (the figure
    the C++ models_quality reproduces); with samples > 0 it is also averaged over that many
    posterior draws (the usual single-sample ELBO estimate), returned third."""
    mu, logvar = model.encode(xh)
    rec = F.binary_cross_entropy(model.decode(mu), xh, reduction="sum").item() / len(xh)
    kl = (-0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum() / len(xh)).item()
    drawn = None
    if samples:
        gen = torch.Generator().manual_seed(5)
        drawn = sum(F.binary_cross_entropy(model.decode(mu + torch.randn(mu.shape, generator=gen) * (0.5 * logvar).exp()),
                                           xh, reduction="sum").item() for _ in range(samples)) / samples / len(xh)
    return rec, kl, drawn


def train(z_dim, x, xh, epochs, lr, lr_min, log_every):
    model = DigitsVAE(z_dim)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    batches = (len(x) + 99) // 100
    total, step, curve = epochs * batches, 0, []
    start = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 100):
            for g in opt.param_groups:  # cosine decay, per step
                g["lr"] = lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * step / total))
            xb = x[perm[i:i + 100]]
            mu, logvar = model.encode(xb)
            z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
            rec = F.binary_cross_entropy(model.decode(z), xb, reduction="sum") / len(xb)
            kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum() / len(xb)
            loss = rec + kl
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        if (epoch + 1) % log_every == 0 or epoch + 1 == epochs:
            r, k, _ = heldout(model, xh)
            curve.append({"epoch": epoch + 1, "heldout_neg_elbo": round(r + k, 3), "seconds": round(time.time() - start, 1)})
            print(f"vae{z_dim} epoch {epoch + 1}: held-out -ELBO {r + k:.3f} (recon {r:.3f} KL {k:.3f}) "
                  f"{time.time() - start:.0f}s", flush=True)
    return model.eval(), curve


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=120)  # the shipped weights: 512 s (2-D), 532 s (16-D) on one core
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--lr-min", type=float, default=1e-5)
    ap.add_argument("--z-dims", default="2,16", help="which VAEs to train (the others' report rows are kept)")
    ap.add_argument("--log-every", type=int, default=5)
    args = ap.parse_args()
    x, _, xh, _ = load_digits()
    x, xh = (x + 1) / 2, (xh + 1) / 2
    report_path = os.path.join(os.path.dirname(__file__), "reports", "vae.json")
    report = json.load(open(report_path)) if os.path.exists(report_path) else {}
    for z_dim in (int(s) for s in args.z_dims.split(",")):
        seed_everything(args.seed)  # each VAE from the same seed, so training one alone reproduces it
        start = time.time()
        model, curve = train(z_dim, x, xh, args.epochs, args.lr, args.lr_min, args.log_every)
        rec, kl, drawn = heldout(model, xh, samples=10)
        meta = {"model": f"digits_vae{z_dim}", "z_dim": z_dim, "seed": args.seed, "epochs": args.epochs,
                "lr": args.lr, "lr_min": args.lr_min, "lr_schedule": "cosine per step",
                "heldout_recon_bce": rec, "heldout_kl": kl, "heldout_neg_elbo": rec + kl,
                "heldout_neg_elbo_sampled_z": drawn + kl,
                "train_seconds": round(time.time() - start, 1), "threads": torch.get_num_threads(),
                "command": f"train_vae.py --epochs {args.epochs} --seed {args.seed} --lr {args.lr} "
                           f"--lr-min {args.lr_min} --z-dims {z_dim}"}
        save_safetensors(os.path.join(ASSETS, f"digits_vae{z_dim}.safetensors"), model.state_dict(), meta)
        gen = torch.Generator().manual_seed(123)
        z = torch.randn(16, z_dim, generator=gen)
        with torch.no_grad():
            mu, logvar = model.encode(xh[:8])
            save_safetensors(os.path.join(GOLDEN, f"vae{z_dim}_forward.safetensors"),
                             {"z": z, "decoded": model.decode(z), "x": xh[:8], "mu": mu, "logvar": logvar},
                             {"model": f"digits_vae{z_dim}"})
        meta["heldout_curve"] = curve
        report[f"vae{z_dim}"] = meta
        print({k: v for k, v in meta.items() if k != "heldout_curve"}, flush=True)
        json.dump(report, open(report_path, "w"), indent=1)


if __name__ == "__main__":
    main()
