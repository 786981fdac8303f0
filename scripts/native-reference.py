#!/usr/bin/env python3
"""A native yardstick for the browser's numbers: the course's tiny GPT in PyTorch on the CPU.

Loads the SAME model the course ships (public/models/<name>/config.json and model.safetensors, the
nanoGPT tensor names lib/model/load.ts reads) and measures, on this machine's CPU:

  decode   greedy generation of the quantized-inference lesson's comparison (its prompt
           "And God said unto Moses, " and 48 new characters; components/widgets/quantized-inference),
           once WITHOUT a KV cache (every token one forward pass over the whole context, as
           lib/model/tiny-lm.ts generate does) and once WITH one (the prompt's keys and values
           computed once, then one position per token). Tokens per second = 48 / the generation's
           wall time; the median of --repeats runs. Both runs must pick the same characters.
  lora     one training step of the course's trainer (lib/train/recipes.ts LOOP and
           COMPARISON_RECIPE: batch 8 windows of 64 characters, adapters r 8, alpha 16 on every
           Linear layer, dropout 0, AdamW lr 3e-3, weight decay 0, global-norm clip 1.0), the
           float32 base frozen: forward, cross-entropy, backward, clip, AdamW. Median ms per step.
  qlora    the same step with each Linear weight held as NF4 codes (blocks of 64, two codes per
           byte) and double-quantized absmax (blocks of 256), dequantized to float32 in every forward
           pass, as bitsandbytes' Linear4bit does. EMULATION: the dequantization is plain PyTorch ops
           (unpack nibbles, look up the 16 NF4 levels, multiply by the absmax); the second level of
           double quantization is linear int8 per 256 absmax values rather than bitsandbytes'
           dynamic 8-bit map (same work per element, slightly different numbers). The adapters and
           the optimizer are as in 'lora'.

Prints one JSON object. Needs Debian's python3-torch (1.13) and python3-numpy:

    /usr/bin/python3 scripts/native-reference.py [--model public/models/kjv-char-4l] [--repeats 5] [--steps 10]

Without torch it prints {"skipped": "..."} and exits 0, so `npm run bench` can go on.
"""
import argparse
import json
import math
import os
import platform
import struct
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the bench reads this line
    print(json.dumps({"skipped": f"PyTorch is not installed for {sys.executable} ({e}); install python3-torch"}))
    sys.exit(0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = "And God said unto Moses, "  # the quantized-inference comparison's default prompt
DECODE_TOKENS = 48  # its sampleTokens
LOOP = {"batch": 8, "block": 64, "clip": 1.0, "weight_decay": 0.0}  # lib/train/recipes.ts LOOP
RECIPE = {"r": 8, "alpha": 16, "lr": 3e-3}  # COMPARISON_RECIPE
NF4 = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
       -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
       0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
       0.7229568362236023, 1.0]  # bitsandbytes' NF4 levels (lib/quant/four-bit.ts NF4_CODE)


def read_safetensors(path):
    """The F32 tensors of a safetensors file: 8-byte little-endian header length, JSON header, data."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] != "F32":
            raise SystemExit(f"{name} is {meta['dtype']}; this script reads F32")
        a, b = meta["data_offsets"]
        out[name] = torch.frombuffer(bytearray(body[a:b]), dtype=torch.float32).reshape(meta["shape"])
    return out


class TinyGPT:
    """nanoGPT's forward (lib/model/tiny-lm.ts): pre-LN blocks, learned positions, tied lm_head, exact GELU.
    `linear(x, name)` is the only place Linear weights are read, so LoRA and NF4 plug in there."""

    def __init__(self, cfg, w):
        self.cfg, self.w = cfg, w
        self.lora = {}  # module path -> (A, B)
        self.scale = 0.0
        self.nf4 = None  # module path -> packed NF4 weight (qlora)

    def weight(self, name):
        if self.nf4 is not None and name in self.nf4:
            return self.nf4[name].dequantize()
        return self.w[name + ".weight"]

    def linear(self, x, name):
        y = F.linear(x, self.weight(name), self.w[name + ".bias"])
        ab = self.lora.get(name)
        if ab is not None:
            y = y + self.scale * F.linear(F.linear(x, ab[0]), ab[1])
        return y

    def ln(self, x, name):
        return F.layer_norm(x, (x.shape[-1],), self.w[name + ".weight"], self.w[name + ".bias"], self.cfg["layer_norm_eps"])

    def forward(self, idx, cache=None, start=0):
        """Logits [B, T, V] for ids idx [B, T] at positions start..start+T. With `cache` (a list of
        per-layer [k, v] or None) keys and values are appended to it and attention reads all of them."""
        c = self.cfg
        B, T = idx.shape
        C, H = c["n_embd"], c["n_head"]
        hd = C // H
        x = self.w["transformer.wte.weight"][idx] + self.w["transformer.wpe.weight"][start:start + T]
        for l in range(c["n_layer"]):
            p = f"transformer.h.{l}"
            q, k, v = self.linear(self.ln(x, p + ".ln_1"), p + ".attn.c_attn").split(C, dim=2)
            q, k, v = (t.view(B, T, H, hd).transpose(1, 2) for t in (q, k, v))
            if cache is not None:
                if cache[l] is not None:
                    k = torch.cat([cache[l][0], k], dim=2)
                    v = torch.cat([cache[l][1], v], dim=2)
                cache[l] = (k, v)
            S = k.shape[2]
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
            mask = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
            att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
            y = (att @ v).transpose(1, 2).reshape(B, T, C)
            x = x + self.linear(y, p + ".attn.c_proj")
            h = F.gelu(self.linear(self.ln(x, p + ".ln_2"), p + ".mlp.c_fc"))
            x = x + self.linear(h, p + ".mlp.c_proj")
        return self.ln(x, "transformer.ln_f") @ self.w["transformer.wte.weight"].t()


def generate(model, ids, n, cached):
    """Greedy: n new ids after `ids`; without a cache the whole (cropped) context each time."""
    block = model.cfg["block_size"]
    out = list(ids)
    with torch.no_grad():
        if cached:
            cache = [None] * model.cfg["n_layer"]
            logits = model.forward(torch.tensor([out]), cache, 0)
            for i in range(n):
                nxt = int(logits[0, -1].argmax())
                out.append(nxt)
                if i == n - 1:
                    break
                if len(out) > block:
                    raise SystemExit("the cached decode runs past block_size; shorten the generation")
                logits = model.forward(torch.tensor([[nxt]]), cache, len(out) - 1)
        else:
            for _ in range(n):
                logits = model.forward(torch.tensor([out[-block:]]))
                out.append(int(logits[0, -1].argmax()))
    return out[len(ids):]


class NF4Weight:
    """A [out, in] weight as NF4 codes (blocks of 64, two per byte) and double-quantized absmax."""

    def __init__(self, w, block=64, block2=256):
        self.shape = w.shape
        flat = w.reshape(-1, block)
        absmax = flat.abs().amax(dim=1)
        levels = torch.tensor(NF4)
        idx = ((flat / absmax[:, None]).unsqueeze(-1) - levels).abs().argmin(dim=-1).to(torch.uint8).reshape(-1)
        self.packed = (idx[0::2] << 4) | idx[1::2]
        self.levels = levels
        self.offset = absmax.mean()
        centred = (absmax - self.offset).reshape(-1, block2) if absmax.numel() % block2 == 0 else (absmax - self.offset).reshape(1, -1)
        self.scale2 = centred.abs().amax(dim=1, keepdim=True) / 127
        self.codes2 = torch.round(centred / self.scale2).to(torch.int8)
        self.block = block

    def dequantize(self):
        absmax = (self.codes2.float() * self.scale2).reshape(-1) + self.offset
        idx = torch.stack([self.packed >> 4, self.packed & 15], dim=1).reshape(-1).long()
        return (self.levels[idx].reshape(-1, self.block) * absmax[:, None]).reshape(self.shape)


def add_lora(model, seed):
    g = torch.Generator().manual_seed(seed)
    params = []
    for l in range(model.cfg["n_layer"]):
        for m in ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"):
            name = f"transformer.h.{l}.{m}"
            out_f, in_f = model.w[name + ".weight"].shape
            bound = 1 / math.sqrt(in_f)  # PEFT: kaiming_uniform_(a=sqrt(5)) on A, B = 0
            A = ((torch.rand(RECIPE["r"], in_f, generator=g) * 2 - 1) * bound).requires_grad_()
            B = torch.zeros(out_f, RECIPE["r"], requires_grad=True)
            model.lora[name] = (A, B)
            params += [A, B]
    model.scale = RECIPE["alpha"] / RECIPE["r"]
    return params


def time_steps(model, params, ids, steps, warmup, seed):
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(params, lr=RECIPE["lr"], weight_decay=LOOP["weight_decay"])
    T, Bn = LOOP["block"], LOOP["batch"]
    times, losses = [], []
    for i in range(warmup + steps):
        starts = torch.randint(0, len(ids) - T - 1, (Bn,), generator=g)
        x = torch.stack([ids[s:s + T] for s in starts])
        y = torch.stack([ids[s + 1:s + T + 1] for s in starts])
        t0 = time.perf_counter()
        logits = model.forward(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, LOOP["clip"])
        opt.step()
        lv = float(loss)
        ms = (time.perf_counter() - t0) * 1000
        if i >= warmup:
            times.append(ms)
        losses.append(lv)
    return {"medianMs": median(times), "minMs": min(times), "maxMs": max(times), "steps": steps, "firstLoss": losses[0], "lastLoss": losses[-1]}


def forward_check(model, folder):
    """Largest |difference| from the shipped reference logits (public/models/<name>/reference-logits.json,
    torch float32, 6 significant digits), for the full forward and for a token-by-token cached one."""
    with open(os.path.join(folder, "reference-logits.json")) as f:
        ref = json.load(f)
    want = torch.tensor(ref["logits"])
    ids = ref["prompt_ids"]
    with torch.no_grad():
        full = model.forward(torch.tensor([ids]))[0]
        cache = [None] * model.cfg["n_layer"]
        step = torch.cat([model.forward(torch.tensor([[t]]), cache, i)[0] for i, t in enumerate(ids)])
    err = max(float((full - want).abs().max()), float((step - want).abs().max()))
    if err > 1e-3:
        raise SystemExit(f"the forward pass disagrees with reference-logits.json by {err}")
    return err


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(ROOT, "public", "models", "kjv-char-4l"))
    ap.add_argument("--repeats", type=int, default=5, help="decode runs per variant (median)")
    ap.add_argument("--steps", type=int, default=10, help="timed training steps per mode")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with open(os.path.join(a.model, "config.json")) as f:
        cfg = json.load(f)
    w = read_safetensors(os.path.join(a.model, "model.safetensors"))
    chars = cfg["tokenizer"]["chars"]
    stoi = {ch: i for i, ch in enumerate(chars)}
    model = TinyGPT(cfg, w)
    prompt = [stoi[ch] for ch in PROMPT]
    check = forward_check(model, a.model)

    decode = {}
    texts = {}
    for cached in (False, True):
        generate(model, prompt, 4, cached)  # warm-up
        runs = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            out = generate(model, prompt, DECODE_TOKENS, cached)
            runs.append(time.perf_counter() - t0)
        key = "kvCache" if cached else "noCache"
        decode[key] = {"tokensPerSecond": DECODE_TOKENS / median(runs), "medianSeconds": median(runs), "repeats": a.repeats}
        texts[key] = "".join(chars[i] for i in out)
    if texts["kvCache"] != texts["noCache"]:
        raise SystemExit(f"cached and uncached greedy decodes differ: {texts['noCache']!r} vs {texts['kvCache']!r}")

    with open(os.path.join(a.model, "heldout.txt")) as f:
        text = f.read()
    ids = torch.tensor([stoi[ch] for ch in text if ch in stoi])
    train = {}
    for mode in ("lora", "qlora"):
        m = TinyGPT(cfg, w)
        if mode == "qlora":
            m.nf4 = {n[:-len(".weight")]: NF4Weight(t) for n, t in w.items() if n.endswith((".c_attn.weight", ".c_proj.weight", ".c_fc.weight"))}
        params = add_lora(m, 1)
        train[mode] = time_steps(m, params, ids, a.steps, a.warmup, 1)

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpu": platform.processor() or platform.machine(),
        "model": os.path.basename(a.model.rstrip("/")),
        "maxLogitErrorVsReference": check,
        "decode": {"prompt": PROMPT, "tokens": DECODE_TOKENS, "greedy": texts["kvCache"], **decode},
        "train": {"batchSize": LOOP["batch"], "blockSize": LOOP["block"], "r": RECIPE["r"], "alpha": RECIPE["alpha"], "targets": "all Linear layers", **train},
        "qloraEmulation": "NF4 codes (blocks of 64) + absmax int8 per 256 (linear, not bitsandbytes' dynamic map), dequantized with PyTorch ops in every forward",
    }, indent=2))


if __name__ == "__main__":
    main()
