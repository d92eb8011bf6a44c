"""Trains the digit classifier that judges generated digits (assets/digits_classifier.safetensors)
and reports its held-out accuracy. Usage: /usr/bin/python3 models/train/train_classifier.py"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import ASSETS, GOLDEN, load_digits, save_safetensors, seed_everything
from nets import DigitsClassifier


def shift(x, rng):
    """Random translations by up to 2 pixels (augmentation)."""
    dx, dy = rng.integers(-2, 3, 2)
    return torch.roll(x, shifts=(int(dy), int(dx)), dims=(2, 3))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    seed_everything(args.seed)
    rng = np.random.default_rng(args.seed)
    x, y, xh, yh = load_digits()
    model = DigitsClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    start = time.time()
    for epoch in range(args.epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(shift(x[idx], rng)), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            acc = (model(xh).argmax(1) == yh).float().mean().item()
        print(f"epoch {epoch} held-out accuracy {acc:.4f}", flush=True)
    model.eval()
    meta = {"model": "digits_classifier", "heldout_accuracy": acc, "epochs": args.epochs, "seed": args.seed,
            "train_seconds": round(time.time() - start, 1)}
    save_safetensors(os.path.join(ASSETS, "digits_classifier.safetensors"), model.state_dict(), meta)
    with torch.no_grad():
        save_safetensors(os.path.join(GOLDEN, "classifier_forward.safetensors"),
                         {"x": xh[:32], "logits": model(xh[:32])}, {"model": "digits_classifier"})
    os.makedirs(os.path.join(os.path.dirname(__file__), "reports"), exist_ok=True)
    json.dump(meta, open(os.path.join(os.path.dirname(__file__), "reports", "classifier.json"), "w"), indent=1)
    print(meta)


if __name__ == "__main__":
    main()
