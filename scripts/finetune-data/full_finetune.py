#!/usr/bin/env python3
"""Full fine-tuning of kjv-char-4l on kjv-modern, to show what a real weight update looks like.

Loads public/models/kjv-char-4l/model.safetensors, fine-tunes ALL parameters on
public/datasets/kjv-modern/train.txt (seeded, single thread, deterministic), reports the
held-out loss on public/datasets/kjv-modern/heldout.txt before and after, and writes

    public/models/kjv-char-4l/full-finetune-delta.safetensors

with dW = W_after - W_before (F32, [out, in], same names) for the 16 Linear weights
transformer.h.<l>.{attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj}.weight. It then prints
the singular values of block 0's c_attn update and how much of it the top 8 capture, which
the LoRA lesson's "low rank made visible" widget discusses.

    /usr/bin/python3 scripts/finetune-data/make_datasets.py     # if public/datasets is missing
    /usr/bin/python3 scripts/finetune-data/full_finetune.py     # ~1-2 min on one CPU thread

Uses Debian's python3-torch 1.13 and python3-numpy (/usr/bin/python3, not a pyenv python3),
and the model class and safetensors writer of scripts/pretrain/pretrain_tiny_gpt.py.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts", "pretrain"))
from pretrain_tiny_gpt import GPT, mean_loss, write_safetensors  # noqa: E402

MODEL_DIR = os.path.join(REPO, "public", "models", "kjv-char-4l")
DATA_DIR = os.path.join(REPO, "public", "datasets")
LINEAR_SUFFIXES = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def read_safetensors(path):
    """Minimal reader for the F32-only files this project writes: name -> torch tensor."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, h in header.items():
        assert h["dtype"] == "F32", (name, h["dtype"])
        a, b = h["data_offsets"]
        arr = np.frombuffer(raw, dtype="<f4", count=(b - a) // 4, offset=base + a)
        out[name] = torch.from_numpy(arr.reshape(h["shape"]).copy())
    return out


def linear_names(n_layer):
    return [f"transformer.h.{l}.{s}" for l in range(n_layer) for s in LINEAR_SUFFIXES]


def encode(path, stoi):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    bad = set(text) - set(stoi)
    assert not bad, f"{path}: characters outside the vocabulary: {bad!r}"
    return torch.tensor([stoi[c] for c in text], dtype=torch.long)


def windows(data, T):
    """Every non-overlapping window start, as in the pretraining script's held-out loss."""
    return list(range(0, len(data) - T - 1, T))


def top_k_fraction(s, k):
    """Share of ||dW||_F^2 in the top k singular values (the 'energy'), and its square root
    (= ||best rank-k approximation||_F / ||dW||_F)."""
    e = float((s[:k] ** 2).sum() / (s ** 2).sum())
    return e, math.sqrt(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="kjv-modern")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch_size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--weight_decay", type=float, default=0.0)
    ap.add_argument("--grad_clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--log_every", type=int, default=50)
    ap.add_argument("--eval_every", type=int, default=100, help="held-out probe (does not change training)")
    ap.add_argument("--out", default=os.path.join(MODEL_DIR, "full-finetune-delta.safetensors"))
    ap.add_argument("--smoke", action="store_true", help="time 20 steps; write nothing")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)

    with open(os.path.join(MODEL_DIR, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    chars = cfg["tokenizer"]["chars"]
    stoi = {c: i for i, c in enumerate(chars)}
    T = cfg["block_size"]
    model = GPT(cfg["vocab_size"], cfg["n_layer"], cfg["n_head"], cfg["n_embd"], T,
                eps=cfg["layer_norm_eps"])
    base = read_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
    model.load_state_dict(base, strict=True)
    names = linear_names(cfg["n_layer"])
    before = {k: base[k].clone() for k in names}

    train = encode(os.path.join(DATA_DIR, args.dataset, "train.txt"), stoi)
    held = encode(os.path.join(DATA_DIR, args.dataset, "heldout.txt"), stoi)
    held_starts = windows(held, T)
    print(f"dataset {args.dataset}: train {len(train)} chars, heldout {len(held)} chars "
          f"({len(held_starts)} windows of {T})")

    loss_before = mean_loss(model, held, held_starts, T)
    print(f"heldout loss before {loss_before:.4f} nats/char", flush=True)

    # AdamW on every parameter. Weight decay defaults to 0 so that dW is the gradient-driven
    # update only (decay would add a -lr*wd*W term, i.e. a scaled copy of the full-rank W).
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.99), eps=1e-8)
    steps = 20 if args.smoke else args.steps
    B = args.batch_size
    g_data = torch.Generator().manual_seed(args.seed)
    model.train()
    t0 = time.time()
    ema = None
    for step in range(steps):
        lr = args.lr * min(1.0, (step + 1) / args.warmup)  # linear warmup, then constant
        for group in opt.param_groups:
            group["lr"] = lr
        ix = torch.randint(0, len(train) - T - 1, (B,), generator=g_data).tolist()
        x = torch.stack([train[i:i + T] for i in ix])
        y = torch.stack([train[i + 1:i + 1 + T] for i in ix])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        opt.step()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if (step + 1) % args.log_every == 0 or step == 0 or (args.smoke and step + 1 == steps):
            el = time.time() - t0
            print(f"step {step + 1}/{steps} loss {loss.item():.4f} ema {ema:.4f} lr {lr:.1e} "
                  f"{el:.0f}s ({el / (step + 1):.3f} s/step)", flush=True)
        if not args.smoke and (step + 1) % args.eval_every == 0 and step + 1 < steps:
            print(f"  heldout loss {mean_loss(model, held, held_starts, T):.4f}", flush=True)
    train_secs = time.time() - t0
    print(f"training time {train_secs:.1f}s, {train_secs / steps:.3f} s/step")
    if args.smoke:
        return

    loss_after = mean_loss(model, held, held_starts, T)
    print(f"heldout loss after  {loss_after:.4f} nats/char (before {loss_before:.4f})")

    sd = model.state_dict()
    delta = {k: (sd[k].detach().to(torch.float32) - before[k]).contiguous() for k in names}

    # The file holds only the Linear updates; embeddings, biases and LayerNorms moved too.
    # How much of the gain do the Linear updates alone carry, and their rank-8 truncations?
    probe = GPT(cfg["vocab_size"], cfg["n_layer"], cfg["n_head"], cfg["n_embd"], T,
                eps=cfg["layer_norm_eps"])

    def loss_with(linear_update):
        sd2 = {k: v.clone() for k, v in base.items()}
        for k in names:
            sd2[k] = before[k] + linear_update(delta[k])
        probe.load_state_dict(sd2, strict=True)
        return mean_loss(probe, held, held_starts, T)

    def rank_r(r):
        def f(d):
            u, s, vh = torch.linalg.svd(d.double(), full_matrices=False)
            return ((u[:, :r] * s[:r]) @ vh[:r]).float()
        return f

    loss_linear_only = loss_with(lambda d: d)
    loss_rank8 = loss_with(rank_r(8))
    print(f"heldout loss, base + only the 16 Linear dW: {loss_linear_only:.4f}; "
          f"base + rank-8 truncation of each dW: {loss_rank8:.4f}")
    for r in (1, 2, 4, 16, 32, 64):
        print(f"  base + rank-{r} truncation of each dW: {loss_with(rank_r(r)):.4f}")
    meta = {
        "format": "pt",
        "base_model": "kjv-char-4l",
        "contents": "dW = W_after - W_before for the 16 Linear weights, F32, [out, in]",
        "dataset": f"public/datasets/{args.dataset}/train.txt",
        "eval": f"public/datasets/{args.dataset}/heldout.txt, all {len(held_starts)} "
                f"non-overlapping windows of {T}",
        "steps": args.steps,
        "batch_size": B,
        "block_size": T,
        "lr": args.lr,
        "schedule": f"linear warmup {args.warmup} steps, then constant",
        "optimizer": "AdamW betas (0.9, 0.99) eps 1e-8, all parameters trainable",
        "weight_decay": args.weight_decay,
        "grad_clip": args.grad_clip,
        "seed": args.seed,
        "loss_before": f"{loss_before:.4f}",
        "loss_after": f"{loss_after:.4f}",
        "loss_base_plus_linear_deltas": f"{loss_linear_only:.4f}",
        "loss_base_plus_rank8_linear_deltas": f"{loss_rank8:.4f}",
        "loss_unit": "mean cross-entropy, nats per character",
        "torch_version": torch.__version__,
    }
    out = args.out
    write_safetensors(out, delta, meta)
    print(f"wrote {out} ({os.path.getsize(out)} bytes)")

    # ---- spectra
    rng = np.random.default_rng(0)
    print("\nname                                  shape      |dW|_F   |dW|_F/|W|_F  "
          "top8 energy  top8 norm  (Gaussian same shape: top8 energy)")
    for k in names:
        d = delta[k].numpy().astype(np.float64)
        s = np.linalg.svd(d, compute_uv=False)
        e8, n8 = top_k_fraction(s, 8)
        g = np.linalg.svd(rng.standard_normal(d.shape), compute_uv=False)
        ge8, _ = top_k_fraction(g, 8)
        rel = np.linalg.norm(d) / np.linalg.norm(before[k].numpy().astype(np.float64))
        print(f"{k:37s} {str(list(d.shape)):10s} {np.linalg.norm(d):8.4f}   {rel:.4f}        "
              f"{e8:.3f}        {n8:.3f}      ({ge8:.3f})")

    k0 = "transformer.h.0.attn.c_attn.weight"
    d0 = delta[k0].numpy().astype(np.float64)
    s0 = np.linalg.svd(d0, compute_uv=False)
    e8, n8 = top_k_fraction(s0, 8)
    np.set_printoptions(precision=5, suppress=True, linewidth=100)
    print(f"\nsingular values of dW for {k0} {list(d0.shape)} ({len(s0)} values):")
    print(s0)
    cum = np.cumsum(s0 ** 2) / np.sum(s0 ** 2)
    for r in (1, 2, 4, 8, 16, 32, 64):
        print(f"  top {r:3d}: {cum[r - 1]:.4f} of ||dW||_F^2, {math.sqrt(cum[r - 1]):.4f} of ||dW||_F")
    print(f"top-8 fraction for {k0}: {e8:.4f} of the squared Frobenius norm (energy), "
          f"{n8:.4f} of the Frobenius norm itself")


if __name__ == "__main__":
    sys.exit(main())
