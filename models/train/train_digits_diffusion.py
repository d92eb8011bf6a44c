"""Trains the class-conditional digits denoiser (assets/digits_diffusion.safetensors) with
classifier-free guidance (10% of labels dropped to the 'no class' label 10), on a mixture of the
linear and cosine schedules (T = 1000), and measures how often the classifier recognises guided
DDIM samples of the requested class.
Usage: /usr/bin/python3 models/train/train_digits_diffusion.py [--steps N]"""
import argparse
import json
import os
import time

import numpy as np
import torch

from common import (ASSETS, GOLDEN, alpha_bar_cosine, alpha_bar_linear, load_digits, save_safetensors,
                    seed_everything)
from nets import DigitsClassifier, DigitsDenoiser


def load_classifier():
    import struct
    path = os.path.join(ASSETS, "digits_classifier.safetensors")
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    sd = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        sd[k] = torch.from_numpy(np.frombuffer(data[8 + n + a:8 + n + b], dtype=np.float32).copy()).view(v["shape"])
    m = DigitsClassifier()
    m.load_state_dict(sd)
    return m.eval()


@torch.no_grad()
def ddim_sample(model, labels, ab, steps=50, guidance=3.0, gen=None):
    T = len(ab)
    ts = np.linspace(T - 1, 0, steps).round().astype(int)
    x = torch.randn(len(labels), 1, 20, 20, generator=gen)
    null = torch.full_like(labels, 10)
    for i, t in enumerate(ts):
        a = torch.full((len(labels),), float(ab[t]))
        e_c = model(x, a, labels)
        e_u = model(x, a, null)
        eps = e_u + guidance * (e_c - e_u)
        x0 = ((x - (1 - a).sqrt()[:, None, None, None] * eps) / a.sqrt()[:, None, None, None]).clamp(-1, 1)
        a_prev = float(ab[ts[i + 1]]) if i + 1 < len(ts) else 1.0
        x = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--channels", type=int, default=32, help="UNet base width c")
    ap.add_argument("--emb", type=int, default=128, help="conditioning embedding width")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--max-minutes", type=float, default=0,
                    help="stop early after this much wall time (0: no limit); the report records the steps "
                         "actually run, and --steps N with that N reproduces the weights exactly, because the "
                         "learning rate depends on the step only")
    args = ap.parse_args()
    seed_everything(args.seed)
    x, y, _, _ = load_digits()
    T = 1000
    schedules = torch.tensor(np.stack([alpha_bar_linear(T), alpha_bar_cosine(T)]), dtype=torch.float32)
    model = DigitsDenoiser(c=args.channels, emb=args.emb)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    # Warm-up over 200 steps, then constant (EMA averages the iterates): a schedule that does not
    # depend on the total step count, so a run cut short by --max-minutes is reproducible.
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 200) * 2.0)
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
    start, batch, losses = time.time(), args.batch, []
    steps_run = 0
    for step in range(args.steps):
        if args.max_minutes and time.time() - start > 60 * args.max_minutes:
            print(f"stopping at step {step}: --max-minutes {args.max_minutes} reached", flush=True)
            break
        steps_run = step + 1
        idx = torch.randint(0, len(x), (batch,))
        x0, lab = x[idx], y[idx].clone()
        lab[torch.rand(batch) < 0.1] = 10
        t = torch.randint(0, T, (batch,))
        ab = schedules[torch.randint(0, 2, (batch,)), t]
        eps = torch.randn_like(x0)
        xt = ab.sqrt()[:, None, None, None] * x0 + (1 - ab).sqrt()[:, None, None, None] * eps
        loss = ((model(xt, ab, lab) - eps) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            decay = min(0.998, (1 + step) / (10 + step))
            for k, v in model.state_dict().items():
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
        losses.append(loss.item())
        if step % 100 == 0:
            print(f"step {step} loss {np.mean(losses[-100:]):.4f} {time.time() - start:.0f}s", flush=True)
        if step % 500 == 499:  # a provisional file (EMA weights) so the C++ side can be developed meanwhile
            save_safetensors(os.path.join(ASSETS, "digits_diffusion.safetensors"), ema,
                             {"model": "digits_diffusion", "provisional_step": step + 1})
    model.load_state_dict(ema)
    model.eval()
    train_seconds = round(time.time() - start, 1)
    # Quality: classifier accuracy on guided DDIM samples (50 steps, guidance 3, cosine schedule).
    clf = load_classifier()
    gen = torch.Generator().manual_seed(7)
    labels = torch.arange(10).repeat_interleave(20)
    samples = ddim_sample(model, labels, schedules[1].numpy(), gen=gen)
    acc = (clf(samples).argmax(1) == labels).float().mean().item()
    meta = {"model": "digits_diffusion", "T": T, "seed": args.seed, "steps": steps_run,
            "channels": args.channels, "emb": args.emb, "batch": args.batch,
            "final_loss": float(np.mean(losses[-500:])), "train_seconds": train_seconds,
            "classifier_accuracy_ddim50_guidance3_pytorch": acc}
    save_safetensors(os.path.join(ASSETS, "digits_diffusion.safetensors"), model.state_dict(), meta)
    g = torch.Generator().manual_seed(123)
    xg = torch.randn(8, 1, 20, 20, generator=g)
    abg = torch.rand(8, generator=g) * 0.98 + 0.01
    lg = torch.tensor([0, 1, 2, 3, 4, 5, 9, 10])
    with torch.no_grad():
        out = model(xg, abg, lg)
    save_safetensors(os.path.join(GOLDEN, "digits_diffusion_forward.safetensors"),
                     {"x": xg, "alpha_bar": abg, "label": lg, "eps": out}, {"model": "digits_diffusion"})
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "digits_diffusion.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
