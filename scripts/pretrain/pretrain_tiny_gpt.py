#!/usr/bin/env python3
"""Pretrain Lowbit's tiny character-level GPT on the King James Bible.

Offline, seeded and deterministic on CPU (single thread). Needs only Debian's
python3-torch (1.13) and python3-numpy, plus the bible-kjv / bible-kjv-text
packages for the corpus:

    apt-get install -y bible-kjv-text python3-torch python3-numpy
    /usr/bin/python3 scripts/pretrain/pretrain_tiny_gpt.py --steps 4800

See scripts/pretrain/README.md for the full recipe and expected results.

Corpus transformation (also written to the model README):
  1. `bible -l100000 gen1:1-rev22:21` (the `bible` program of Debian's bible-kjv
     package reading /usr/lib/bible.data from bible-kjv-text) prints every chapter
     as a heading line ("Genesis 1") followed by one line per verse
     ("  1 In the beginning ..."); -l100000 sets the line width so no verse wraps.
  2. Keep only verse lines, drop the chapter headings and the verse numbers, strip
     surrounding whitespace, and join verses with "\n" (one verse per line, final
     newline). Nothing else changes: case and punctuation are kept as printed.
  3. Split by book: Genesis .. Colossians is the training text, 1 Thessalonians ..
     Revelation (the last 16 books, ~4.8 %) is the held-out text.
"""
import argparse
import hashlib
import json
import math
import os
import re
import struct
import subprocess
import sys
import time

from corpus import HELDOUT_FIRST_BOOK, build_texts, sha256  # noqa: E402
import torch
import torch.nn as nn
import torch.nn.functional as F



# ----------------------------------------------------------------------------- model

class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=True)
        self.c_proj = nn.Linear(n_embd, n_embd, bias=True)
        mask = torch.tril(torch.ones(block_size, block_size, dtype=torch.bool))
        self.register_buffer("mask", mask.view(1, 1, block_size, block_size), persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        hs = C // self.n_head
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        att = att.masked_fill(~self.mask[:, :, :T, :T], float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=True)
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=True)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))  # exact erf GELU (approximate='none')


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, eps=eps)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size)
        self.ln_2 = nn.LayerNorm(n_embd, eps=eps)
        self.mlp = MLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, vocab_size, n_layer, n_head, n_embd, block_size, eps=1e-5):
        super().__init__()
        self.block_size = block_size
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            h=nn.ModuleList([Block(n_embd, n_head, block_size, eps) for _ in range(n_layer)]),
            ln_f=nn.LayerNorm(n_embd, eps=eps),
        ))
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    @staticmethod
    def _init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, idx):
        B, T = idx.shape
        pos = torch.arange(T, dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        return x @ self.transformer.wte.weight.t()  # lm_head tied to wte


# ----------------------------------------------------------------------------- safetensors

def write_safetensors(path, tensors, metadata=None):
    """tensors: ordered dict name -> torch float32 tensor. Minimal writer, F32 only."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        a = t.detach().to(torch.float32).contiguous().cpu().numpy()
        b = a.astype("<f4").tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def export_state(model):
    """nanoGPT tensor names; lm_head is tied to wte, so only wte is stored."""
    sd = model.state_dict()
    return {k: v for k, v in sd.items() if not k.endswith(".mask")}


# ----------------------------------------------------------------------------- training

@torch.no_grad()
def mean_loss(model, data, starts, block_size, batch=64):
    """Mean cross-entropy (nats/char) over all positions of the windows data[s:s+block+1]."""
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(starts), batch):
        s = starts[i:i + batch]
        x = torch.stack([data[j:j + block_size] for j in s])
        y = torch.stack([data[j + 1:j + 1 + block_size] for j in s])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1), reduction="sum")
        total += loss.item()
        count += y.numel()
    model.train()
    return total / count


@torch.no_grad()
def sample(model, stoi, itos, prompt, n, temperature, seed, block_size):
    g = torch.Generator().manual_seed(seed)
    model.eval()
    idx = torch.tensor([[stoi[c] for c in prompt]], dtype=torch.long)
    for _ in range(n):
        logits = model(idx[:, -block_size:])[:, -1, :]
        if temperature == 0:
            nxt = logits.argmax(-1, keepdim=True)
        else:
            probs = F.softmax(logits / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1, generator=g)
        idx = torch.cat([idx, nxt], dim=1)
    model.train()
    return "".join(itos[i] for i in idx[0].tolist())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4800)
    ap.add_argument("--n_layer", type=int, default=4)
    ap.add_argument("--n_head", type=int, default=4)
    ap.add_argument("--n_embd", type=int, default=128)
    ap.add_argument("--block_size", type=int, default=128)
    ap.add_argument("--batch_size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min_lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight_decay", type=float, default=0.1)
    ap.add_argument("--grad_clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--eval_windows", type=int, default=512, help="train windows for the final train loss")
    ap.add_argument("--log_every", type=int, default=50)
    ap.add_argument("--eval_every", type=int, default=400)
    ap.add_argument("--name", default="kjv-char-4l")
    ap.add_argument("--out", default=None, help="output dir (default public/models/<name>)")
    ap.add_argument("--smoke", action="store_true", help="time the steps only; write nothing")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)

    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    out = args.out or os.path.join(repo, "public", "models", args.name)

    train_text, heldout_text, _ = build_texts()
    chars = sorted(set(train_text) | set(heldout_text))
    assert set(heldout_text) <= set(train_text), "held-out text has characters unseen in training"
    stoi = {c: i for i, c in enumerate(chars)}
    itos = {i: c for c, i in stoi.items()}
    train = torch.tensor([stoi[c] for c in train_text], dtype=torch.long)
    held = torch.tensor([stoi[c] for c in heldout_text], dtype=torch.long)
    print(f"vocab {len(chars)}: {''.join(chars)!r}")
    print(f"train {len(train_text)} chars sha256 {sha256(train_text)}")
    print(f"heldout {len(heldout_text)} chars sha256 {sha256(heldout_text)}")

    B, T = args.batch_size, args.block_size
    model = GPT(len(chars), args.n_layer, args.n_head, args.n_embd, T)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters {n_params}")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.99), eps=1e-8)

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        p = (step - args.warmup) / max(1, args.steps - args.warmup)
        return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * min(1.0, p)))

    # fixed evaluation windows: every non-overlapping window of the held-out text,
    # and a seeded random set of training windows
    held_starts = list(range(0, len(held) - T - 1, T))
    g_eval = torch.Generator().manual_seed(args.seed + 1)
    train_starts = torch.randint(0, len(train) - T - 1, (args.eval_windows,), generator=g_eval).tolist()
    held_probe = held_starts[::8]  # cheap probe during training

    g_data = torch.Generator().manual_seed(args.seed)  # fixed data order
    t0 = time.time()
    ema = None
    for step in range(args.steps):
        lr = lr_at(step)
        for group in opt.param_groups:
            group["lr"] = lr
        ix = torch.randint(0, len(train) - T - 1, (B,), generator=g_data)
        x = torch.stack([train[i:i + T] for i in ix.tolist()])
        y = torch.stack([train[i + 1:i + 1 + T] for i in ix.tolist()])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        opt.step()
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if (step + 1) % args.log_every == 0 or step == 0:
            el = time.time() - t0
            print(f"step {step + 1}/{args.steps} loss {loss.item():.4f} ema {ema:.4f} lr {lr:.2e} "
                  f"{el:.0f}s ({el / (step + 1):.3f} s/step)", flush=True)
        if not args.smoke and (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            hp = mean_loss(model, held, held_probe, T)
            print(f"  probe heldout loss {hp:.4f}", flush=True)
    train_secs = time.time() - t0
    print(f"training time {train_secs:.0f}s, {train_secs / args.steps:.3f} s/step", flush=True)
    if args.smoke:
        return

    train_loss = mean_loss(model, train, train_starts, T)
    heldout_loss = mean_loss(model, held, held_starts, T)
    print(f"final train loss {train_loss:.4f} nats/char over {len(train_starts)} windows")
    print(f"final heldout loss {heldout_loss:.4f} nats/char over {len(held_starts)} windows")

    os.makedirs(out, exist_ok=True)
    pkg_version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "bible-kjv-text"],
                                 capture_output=True, text=True).stdout.strip()
    config = {
        "vocab_size": len(chars),
        "n_layer": args.n_layer,
        "n_head": args.n_head,
        "n_embd": args.n_embd,
        "block_size": T,
        "layer_norm_eps": 1e-5,
        "bias": True,
        "tie_word_embeddings": True,
        "activation": "gelu_erf",
        "tokenizer": {"type": "char", "chars": "".join(chars)},
        "n_params": n_params,
        "corpus": f"King James Bible, Debian package bible-kjv-text {pkg_version} "
                  f"(printed by `{' '.join(BIBLE_CMD)}`), verse numbers and chapter headings "
                  f"dropped, one verse per line; train = Genesis..Colossians, "
                  f"heldout = {HELDOUT_FIRST_BOOK}..Revelation",
        "licence": "Public domain (King James Version text; Debian copyright file: "
                   "'The copyright for the King James Version text of the Bible is expired')",
        "train_chars": len(train_text),
        "train_sha256": sha256(train_text),
        "heldout_chars": len(heldout_text),
        "heldout_sha256": sha256(heldout_text),
        "seed": args.seed,
        "steps": args.steps,
        "batch_size": B,
        "optimizer": {"type": "AdamW", "lr": args.lr, "min_lr": args.min_lr, "warmup": args.warmup,
                      "schedule": "linear warmup + cosine decay", "betas": [0.9, 0.99],
                      "weight_decay": args.weight_decay, "grad_clip": args.grad_clip},
        "train_loss": round(train_loss, 4),
        "heldout_loss": round(heldout_loss, 4),
        "loss_unit": "mean cross-entropy, nats per character",
        "eval": f"train: {len(train_starts)} seeded random windows of {T}; "
                f"heldout: all {len(held_starts)} non-overlapping windows of {T}",
        "torch_version": torch.__version__,
        "train_seconds": round(train_secs),
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    write_safetensors(os.path.join(out, "model.safetensors"), export_state(model),
                      {"format": "pt", "name": args.name})
    with open(os.path.join(out, "heldout.txt"), "w", encoding="utf-8") as f:
        f.write(heldout_text)
    torch.save(model.state_dict(), "/tmp/pretrain_final_state.pt")

    for prompt, temp in [("And God said", 0.8), ("In the beginning", 0.0)]:
        s = sample(model, stoi, itos, prompt, 300, temp, args.seed, T)
        print(f"--- sample (temperature {temp}, seed {args.seed}, prompt {prompt!r}) ---\n{s}\n---")
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
