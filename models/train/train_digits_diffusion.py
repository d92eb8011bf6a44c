"""Trains the class-conditional digits denoiser (assets/digits_diffusion.safetensors) with
classifier-free guidance (10% of labels dropped to the 'no class' label 10), on a mixture of the
linear and cosine schedules (T = 1000), and measures how often the classifier recognises guided
DDIM samples of the requested class.
Usage: NOISELAB_TRAIN_THREADS=1 /usr/bin/python3 models/train/train_digits_diffusion.py [--steps N]"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch

from common import (ASSETS, GOLDEN, alpha_bar_cosine, alpha_bar_linear, load_digits, save_safetensors,
                    seed_everything)
from nets import DigitsClassifier, DigitsDenoiser


def read_metadata(path):
    import struct
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n]).get("__metadata__", {})


def load_state(path):
    import struct
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    sd = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        sd[k] = torch.from_numpy(np.frombuffer(data[8 + n + a:8 + n + b], dtype=np.float32).copy()).view(v["shape"])
    return sd


def load_classifier():
    sd = load_state(os.path.join(ASSETS, "digits_classifier.safetensors"))
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
        # The noise consistent with the clipped x0 (as DDPM's posterior uses it; models/diffusion.cpp):
        # the raw eps beside a clipped x0 saturates guided samples.
        eps = (x - a.sqrt()[:, None, None, None] * x0) / (1 - a).sqrt()[:, None, None, None]
        a_prev = float(ab[ts[i + 1]]) if i + 1 < len(ts) else 1.0
        x = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps
    return x


def guided_accuracy(model, clf, schedules, per_class, steps, guidance, seed=7):
    """Fraction of guided DDIM samples (cosine schedule) that the classifier labels as requested."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.arange(10).repeat_interleave(per_class)
    samples = ddim_sample(model, labels, schedules[1].numpy(), steps=steps, guidance=guidance, gen=gen)
    return (clf(samples).argmax(1) == labels).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=7000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--channels", type=int, default=16, help="UNet base width c")
    ap.add_argument("--emb", type=int, default=64, help="conditioning embedding width")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3, help="peak learning rate")
    ap.add_argument("--ema", type=float, default=0.999, help="EMA decay of the shipped weights")
    ap.add_argument("--eval-every", type=int, default=1000,
                    help="every N steps: accuracy of 100 guided DDIM-25 samples from the EMA weights")
    ap.add_argument("--stop-at", type=int, default=0,
                    help="stop training after this many steps (the lr schedule still spans --steps), so a run "
                         "stopped early once its periodic evaluation met the target is reproducible")
    ap.add_argument("--finalize", default="",
                    help="skip training: take the EMA weights from this file (a provisional file written by a "
                         "run with the same flags) and run the final evaluation, golden and report")
    ap.add_argument("--finalize-log", default="", help="with --finalize: the stopped run's log")
    args = ap.parse_args()
    seed_everything(args.seed)
    x, y, _, _ = load_digits()
    T = 1000
    schedules = torch.tensor(np.stack([alpha_bar_linear(T), alpha_bar_cosine(T)]), dtype=torch.float32)
    model = DigitsDenoiser(c=args.channels, emb=args.emb)
    ema_model = DigitsDenoiser(c=args.channels, emb=args.emb).eval()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    # Warm-up over 200 steps, then a cosine decay to 1% of the peak at --steps: a small model
    # converges much faster with a high early rate and a low late one than with a constant rate.
    def lr_factor(s):
        warm = min(1.0, (s + 1) / 200)
        return warm * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps))))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
    clf = load_classifier()
    start, batch, losses, evals = time.time(), args.batch, [], []
    run_steps = args.stop_at or args.steps
    prior = {}
    if args.finalize:
        ema = load_state(args.finalize)
        prior = {k: v for k, v in read_metadata(args.finalize).items()}
        # A provisional file names its step; a finished run's file its steps and training time.
        run_steps = int(prior.get("provisional_step", prior.get("steps_run", prior.get("steps", 0))))
        if "train_seconds" in prior:
            prior.setdefault("seconds", prior["train_seconds"])
            prior.setdefault("loss_last_500", prior.get("final_loss", "nan"))
        if args.finalize_log:  # the stopped run's log: its periodic evaluations, up to the file's step
            import ast
            evals = [ast.literal_eval(l[5:]) for l in open(args.finalize_log) if l.startswith("eval {")]
            evals = [e for e in evals if e["step"] <= run_steps]
        else:
            evals = json.loads(prior.get("evals", "[]"))
        last = [e for e in evals if e["step"] == run_steps]
        losses = [last[0]["loss_last_500"] if last else float(prior.get("loss_last_500", "nan"))]
        prior.setdefault("seconds", last[0]["seconds"] if last else "nan")
    for step in range(0 if args.finalize else run_steps):
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
            decay = min(args.ema, (1 + step) / (10 + step))
            for k, v in model.state_dict().items():
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
        losses.append(loss.item())
        if step % 100 == 0:
            print(f"step {step} loss {np.mean(losses[-100:]):.4f} lr {sched.get_last_lr()[0]:.2e} "
                  f"{time.time() - start:.0f}s", flush=True)
        if args.eval_every and (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            # The evaluation draws from its own generator, so it does not change the training stream.
            ema_model.load_state_dict(ema)
            acc = guided_accuracy(ema_model, clf, schedules, 10, 25, 3.0)
            evals.append({"step": step + 1, "loss_last_500": float(np.mean(losses[-500:])),
                          "accuracy_ddim25_guidance3_100": acc, "seconds": round(time.time() - start, 1)})
            print(f"eval {evals[-1]}", flush=True)
            # a provisional file (EMA weights) so the C++ side can be developed meanwhile
            save_safetensors(os.path.join(ASSETS, "digits_diffusion.safetensors"), ema,
                             {"model": "digits_diffusion", "provisional_step": step + 1,
                              "loss_last_500": float(np.mean(losses[-500:])), "seconds": evals[-1]["seconds"],
                              "evals": json.dumps(evals)})
    train_seconds = float(prior["seconds"]) if args.finalize else round(time.time() - start, 1)
    model.load_state_dict(ema)
    model.eval()
    # Quality: classifier accuracy on guided DDIM samples (50 steps, cosine schedule, 20 per class),
    # over a few guidance scales; guidance 3 is the command line's default.
    accs = {str(g): guided_accuracy(model, clf, schedules, 20, 50, g) for g in [1.0, 2.0, 3.0, 5.0]}
    meta = {"model": "digits_diffusion", "T": T, "seed": args.seed, "steps": args.steps, "steps_run": run_steps,
            "channels": args.channels, "emb": args.emb, "batch": args.batch, "lr": args.lr, "ema": args.ema,
            "final_loss": float(np.mean(losses[-500:])), "train_seconds": train_seconds,
            "threads": torch.get_num_threads(),
            "command": "train_digits_diffusion.py " + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items()
                                                               if not k.startswith("finalize")),
            "classifier_accuracy_ddim50_guidance3_pytorch": accs["3.0"],
            "classifier_accuracy_ddim50_by_guidance_pytorch": accs}
    save_safetensors(os.path.join(ASSETS, "digits_diffusion.safetensors"), model.state_dict(),
                     {k: v for k, v in meta.items() if not isinstance(v, dict)})
    g = torch.Generator().manual_seed(123)
    xg = torch.randn(8, 1, 20, 20, generator=g)
    abg = torch.rand(8, generator=g) * 0.98 + 0.01
    lg = torch.tensor([0, 1, 2, 3, 4, 5, 9, 10])
    with torch.no_grad():
        out = model(xg, abg, lg)
    save_safetensors(os.path.join(GOLDEN, "digits_diffusion_forward.safetensors"),
                     {"x": xg, "alpha_bar": abg, "label": lg, "eps": out}, {"model": "digits_diffusion"})
    meta["evals"] = evals
    if args.finalize_log:
        meta["evals_note"] = ("periodic evaluations from the training log, made by the sampler before the "
                              "clipped-x0 noise fix (raw eps), so lower at guidance 3 than the final figures")
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "digits_diffusion.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
