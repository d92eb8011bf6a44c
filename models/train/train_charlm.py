"""Trains the character-level language model on Debian's word lists (wamerican's
/usr/share/dict/words and miscfiles' propernames) -> assets/charlm.safetensors, and reports its
held-out loss beside a bigram baseline. Usage: NOISELAB_TRAIN_THREADS=1 /usr/bin/python3 models/train/train_charlm.py [--steps N]"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F

from common import ASSETS, GOLDEN, load_words, save_safetensors, seed_everything
from nets import CharMLP

CONTEXT = 8


def encode(words):
    """(context, next) pairs; 0 = '.', the word boundary; 1..26 = a..z."""
    xs, ys = [], []
    for w in words:
        ctx = [0] * CONTEXT
        for ch in w + ".":
            k = 0 if ch == "." else ord(ch) - 96
            xs.append(list(ctx))
            ys.append(k)
            ctx = ctx[1:] + [k]
    return torch.tensor(xs), torch.tensor(ys)


def bigram_loss(xtr, ytr, xte, yte):
    counts = torch.ones(27, 27)  # add-one smoothing
    counts.index_put_((xtr[:, -1], ytr), torch.ones(len(ytr)), accumulate=True)
    logp = (counts / counts.sum(1, keepdim=True)).log()
    return -logp[xte[:, -1], yte].mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    seed_everything(args.seed)
    train_words, test_words, sources = load_words()
    xtr, ytr = encode(train_words)
    xte, yte = encode(test_words)
    model = CharMLP(CONTEXT)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.steps)
    start, losses = time.time(), []
    for step in range(args.steps):
        idx = torch.randint(0, len(xtr), (512,))
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
        if step % 2000 == 0 or step == args.steps - 1:
            print(f"step {step} loss {sum(losses[-500:]) / len(losses[-500:]):.4f} {time.time() - start:.0f}s",
                  flush=True)
    train_seconds = round(time.time() - start, 1)
    model.eval()
    with torch.no_grad():
        test = F.cross_entropy(model(xte), yte).item()
    meta = {"model": "charlm", "context": CONTEXT, "vocab": ".abcdefghijklmnopqrstuvwxyz", "seed": args.seed,
            "steps": args.steps, "train_words": len(train_words), "heldout_words": len(test_words),
            "heldout_loss_nats": test, "bigram_heldout_loss_nats": bigram_loss(xtr, ytr, xte, yte),
            "uniform_loss_nats": math.log(27), "train_seconds": train_seconds,
            "final_train_loss_last_500": sum(losses[-500:]) / len(losses[-500:]), "batch": 512, "lr": 3e-3,
            "threads": torch.get_num_threads(), "sources": "; ".join(sources),
            "command": f"train_charlm.py --steps {args.steps} --seed {args.seed}"}
    save_safetensors(os.path.join(ASSETS, "charlm.safetensors"), model.state_dict(), meta)
    with torch.no_grad():
        save_safetensors(os.path.join(GOLDEN, "charlm_forward.safetensors"),
                         {"context": xte[:64], "logits": model(xte[:64])}, {"model": "charlm"})
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "charlm.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
