"""Trains the class-conditional DCGAN generator for digits (assets/digits_gan.safetensors): hinge
loss, spectral-norm projection discriminator, Adam(2e-4, 0.5, 0.999), an EMA of the generator's
weights; reports how often the digit classifier recognises its class-conditional samples.
Usage: NOISELAB_TRAIN_THREADS=1 /usr/bin/python3 models/train/train_gan.py [--steps N]"""
import argparse
import copy
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import ASSETS, GOLDEN, load_digits, save_safetensors, seed_everything
from nets import DigitsDiscriminator, DigitsGenerator
from train_digits_diffusion import load_classifier


def finalize_bn(G, seed, batches=50):
    """Batch-norm running statistics from a pass in train mode over many latents (a cumulative
    average, so the result does not depend on a momentum), then eval mode."""
    gen = torch.Generator().manual_seed(seed)
    G.train()
    for m in G.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    with torch.no_grad():
        for _ in range(batches):
            G(torch.randn(200, G.z_dim, generator=gen), torch.randint(0, 10, (200,), generator=gen))
    G.eval()


@torch.no_grad()
def judge(G, clf, per_class=100, seed=7):
    """Classifier accuracy on class-conditional samples, and its mean confidence in the requested class."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.arange(10).repeat_interleave(per_class)
    probs = F.softmax(clf(G(torch.randn(len(labels), G.z_dim, generator=gen), labels)), 1)
    return ((probs.argmax(1) == labels).float().mean().item(),
            probs[torch.arange(len(labels)), labels].mean().item())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=16000)  # the shipped weights: 1026 s on one core
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ema", type=float, default=0.999, help="EMA decay of the shipped generator weights")
    ap.add_argument("--eval-every", type=int, default=1000)
    ap.add_argument("--ch", type=int, default=32, help="generator width: 2ch channels at 5x5, ch at 10x10 (D alike)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--snapshot-dir", default="", help="also save the finalized EMA generator of every eval there "
                                                        "(gan_step<N>.safetensors), to measure the curve in C++")
    args = ap.parse_args()
    seed_everything(args.seed)
    x, y, _, _ = load_digits()
    clf = load_classifier()
    G, D = DigitsGenerator(ch=args.ch), DigitsDiscriminator(ch=args.ch)
    G_ema = copy.deepcopy(G)
    og = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    start, batch, hist, evals = time.time(), args.batch, [], []
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
        with torch.no_grad():  # EMA of the parameters (GAN iterates oscillate; the average is smoother)
            decay = min(args.ema, (1 + step) / (10 + step))
            for pe, p in zip(G_ema.parameters(), G.parameters()):
                pe.mul_(decay).add_(p.detach(), alpha=1 - decay)
        hist.append((d_loss.item(), g_loss.item()))
        if step % 500 == 0:
            d, g = np.mean(hist[-500:], 0)
            print(f"step {step} d {d:.3f} g {g:.3f} {time.time() - start:.0f}s", flush=True)
        if args.eval_every and (step + 1) % args.eval_every == 0:
            probe = copy.deepcopy(G_ema)
            finalize_bn(probe, 99, 10)
            acc, conf = judge(probe, clf, 20)
            if args.snapshot_dir:
                save_safetensors(os.path.join(args.snapshot_dir, f"gan_step{step + 1}.safetensors"),
                                 {k: v for k, v in probe.state_dict().items() if not k.endswith("num_batches_tracked")},
                                 {"model": "digits_gan", "z_dim": G.z_dim, "ch": args.ch, "steps": step + 1})
            evals.append({"step": step + 1, "accuracy_200": acc, "confidence": conf,
                          "seconds": round(time.time() - start, 1)})
            print(f"eval {evals[-1]}", flush=True)
    train_seconds = round(time.time() - start, 1)
    G = G_ema
    finalize_bn(G, 99)
    acc, conf = judge(G, clf, 100)
    d, g = np.mean(hist[-500:], 0)
    meta = {"model": "digits_gan", "z_dim": G.z_dim, "seed": args.seed, "steps": args.steps, "ema": args.ema,
            "batch": batch, "final_d_loss": float(d), "final_g_loss": float(g), "train_seconds": train_seconds,
            "threads": torch.get_num_threads(),
            "ch": args.ch,
            "command": f"train_gan.py --steps {args.steps} --seed {args.seed} --ema {args.ema} --ch {args.ch} --batch {args.batch}",
            "classifier_accuracy_1000_pytorch": acc, "classifier_confidence_pytorch": conf}
    sd = {k: v for k, v in G.state_dict().items() if not k.endswith("num_batches_tracked")}
    save_safetensors(os.path.join(ASSETS, "digits_gan.safetensors"), sd, meta)
    gen = torch.Generator().manual_seed(123)
    z = torch.randn(16, G.z_dim, generator=gen)
    lab = torch.arange(16) % 10
    with torch.no_grad():
        out = G(z, lab)
    save_safetensors(os.path.join(GOLDEN, "gan_forward.safetensors"), {"z": z, "label": lab, "image": out},
                     {"model": "digits_gan"})
    meta["evals"] = evals
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "gan.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
