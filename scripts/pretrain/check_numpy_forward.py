#!/usr/bin/env python3
"""Independent check of the exported tiny GPT.

1. Reads model.safetensors with a hand-written reader (struct + json + numpy).
2. Runs the forward pass in numpy only (no torch): embeddings, pre-LN blocks,
   causal attention, exact erf GELU, ln_f, lm_head tied to wte.
3. Loads the same tensors into the torch model of pretrain_tiny_gpt.py and
   compares logits (max abs diff must be < 1e-4) on two prompts.
4. Writes reference-logits.json next to the model: logits for the first 16
   characters of heldout.txt, rounded to 6 significant digits, for the
   TypeScript implementation's tests.

    /usr/bin/python3 scripts/pretrain/check_numpy_forward.py [public/models/kjv-char-4l]
"""
import json
import math
import os
import struct
import sys

import numpy as np

TOL = 1e-4


def read_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    assert n % 8 == 0, "header length not a multiple of 8"
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = buf[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    end_max = 0
    for name, info in header.items():
        assert info["dtype"] == "F32", (name, info["dtype"])
        b, e = info["data_offsets"]
        shape = tuple(info["shape"])
        assert e - b == 4 * int(np.prod(shape, dtype=np.int64)), name
        out[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(shape).astype(np.float32)
        assert np.all(np.isfinite(out[name])), f"non-finite values in {name}"
        end_max = max(end_max, e)
    assert end_max == len(data), "data section length does not match offsets"
    return out, meta


_erf = np.vectorize(math.erf, otypes=[np.float64])


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def linear(x, W, b):
    return x @ W.T + b  # W stored [out, in]


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def numpy_forward(W, cfg, ids):
    """Logits [T, vocab] for one sequence of token ids (float64 math)."""
    W = {k: v.astype(np.float64) for k, v in W.items()}
    C, H, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_eps"]
    hs = C // H
    T = len(ids)
    assert T <= cfg["block_size"]
    x = W["transformer.wte.weight"][ids] + W["transformer.wpe.weight"][:T]
    mask = np.tril(np.ones((T, T), dtype=bool))
    for l in range(cfg["n_layer"]):
        p = f"transformer.h.{l}."
        h = layer_norm(x, W[p + "ln_1.weight"], W[p + "ln_1.bias"], eps)
        qkv = linear(h, W[p + "attn.c_attn.weight"], W[p + "attn.c_attn.bias"])
        q, k, v = qkv[:, :C], qkv[:, C:2 * C], qkv[:, 2 * C:]
        y = np.zeros((T, C))
        for hd in range(H):
            s = slice(hd * hs, (hd + 1) * hs)
            att = q[:, s] @ k[:, s].T / math.sqrt(hs)
            att = np.where(mask, att, -np.inf)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            y[:, s] = att @ v[:, s]
        x = x + linear(y, W[p + "attn.c_proj.weight"], W[p + "attn.c_proj.bias"])
        h = layer_norm(x, W[p + "ln_2.weight"], W[p + "ln_2.bias"], eps)
        h = gelu(linear(h, W[p + "mlp.c_fc.weight"], W[p + "mlp.c_fc.bias"]))
        x = x + linear(h, W[p + "mlp.c_proj.weight"], W[p + "mlp.c_proj.bias"])
    x = layer_norm(x, W["transformer.ln_f.weight"], W["transformer.ln_f.bias"], eps)
    return x @ W["transformer.wte.weight"].T


def torch_forward(W, cfg, ids):
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from pretrain_tiny_gpt import GPT
    torch.set_num_threads(1)
    m = GPT(cfg["vocab_size"], cfg["n_layer"], cfg["n_head"], cfg["n_embd"], cfg["block_size"],
            cfg["layer_norm_eps"])
    m.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in W.items()}, strict=True)
    m.eval()
    with torch.no_grad():
        return m(torch.tensor([ids], dtype=torch.long))[0].double().numpy()


def sig6(x):
    return float(f"{x:.6g}")


def main():
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "public", "models", "kjv-char-4l")
    cfg = json.load(open(os.path.join(d, "config.json")))
    W, meta = read_safetensors(os.path.join(d, "model.safetensors"))
    chars = cfg["tokenizer"]["chars"]
    assert len(chars) == cfg["vocab_size"]
    stoi = {c: i for i, c in enumerate(chars)}
    expected = 2 + 12 * cfg["n_layer"] + 2
    assert len(W) == expected, f"{len(W)} tensors, expected {expected}"
    n_params = sum(v.size for v in W.values())
    print(f"read {len(W)} tensors, {n_params} parameters, metadata {meta}")

    heldout = open(os.path.join(d, "heldout.txt"), encoding="utf-8").read()
    prompts = [heldout[:16], heldout[1000:1000 + cfg["block_size"]]]
    worst = 0.0
    ref = None
    for text in prompts:
        ids = [stoi[c] for c in text]
        a = numpy_forward(W, cfg, ids)
        b = torch_forward(W, cfg, ids)
        diff = float(np.abs(a - b).max())
        worst = max(worst, diff)
        print(f"prompt of {len(ids)} chars: max |numpy - torch| = {diff:.3e}")
        if ref is None:
            ref = (text, ids, b)
    assert worst < TOL, f"max abs diff {worst} >= {TOL}"

    text, ids, logits = ref
    out = {
        "model": os.path.basename(os.path.normpath(d)),
        "prompt": text,
        "prompt_ids": ids,
        "note": "logits[t] are the next-character logits after prompt_ids[0..t] (torch float32 "
                "forward, rounded to 6 significant digits); numpy float64 forward agrees to "
                f"{worst:.1e}",
        "logits": [[sig6(v) for v in row] for row in logits.tolist()],
    }
    with open(os.path.join(d, "reference-logits.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False)
        f.write("\n")
    print(f"OK (max abs diff {worst:.3e} < {TOL}); wrote {os.path.join(d, 'reference-logits.json')}")


if __name__ == "__main__":
    main()
