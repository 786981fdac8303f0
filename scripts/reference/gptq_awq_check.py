#!/usr/bin/env python3
"""Reference check values for lib/quant's GPTQ, AWQ, LLM.int8(), SmoothQuant and W8A8 code.

Re-implements, in PyTorch float64, the reference code's math (written from reading it, not copied):
  - IST-DASLab/gptq  gptq.py  GPTQ.fasterquant  +  quant.py  Quantizer.find_params / quantize
    (perchannel=True, mse=False, static_groups=False)
  - mit-han-lab/llm-awq  awq/quantize/auto_scale.py  _search_module_scale (one nn.Linear as the block)
    + awq/quantize/quantizer.py  pseudo_quantize_tensor (zero_point=True)
  - bitsandbytes  backends/default/ops.py  int8_vectorwise_quant + int8_scaled_mm (LLM.int8(), the
    outlier columns multiplied with the float weight as in the paper)
  - mit-han-lab/smoothquant  smooth.py  smooth_ln_fcs (scales) + fake_quant.py absmax quantizers
on a deterministic case that lib/quant/reference-case.test-data.ts generates identically.

Run:  /usr/bin/python3 scripts/reference/gptq_awq_check.py   (Debian python3-torch; torch 1.13)
The printed values are pasted into lib/quant/*.test.ts as "reference check values".
"""
import torch

torch.set_default_dtype(torch.float64)


# ---- deterministic inputs (mirrored in lib/quant/reference-case.test-data.ts) --------------
def lcg(seed):
    s = seed & 0xFFFFFFFF
    while True:
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        yield s


def weight(rows, cols, seed):
    g = lcg(seed)
    # (s >> 8) is a 24-bit integer: w is exact in float32 and float64, in [-0.5, 0.5).
    return torch.tensor([[((next(g) >> 8) - 8388608) / 16777216 for _ in range(cols)] for _ in range(rows)])


def inputs(n, cols, seed, unit):
    """x = ((s >> 24) - 128) * unit * 2^(j % 4 - 2); column 5 dead (all 0); column 7 times 8."""
    g = lcg(seed)
    x = torch.zeros(n, cols)
    for t in range(n):
        for j in range(cols):
            v = ((next(g) >> 24) - 128) * unit * 2.0 ** (j % 4 - 2)
            if j == 5:
                v = 0.0
            if j == 7:
                v *= 8
            x[t, j] = v
    return x


ROWS, COLS, N = 16, 32, 64
W = weight(ROWS, COLS, 1)
X = inputs(N, COLS, 2, 1 / 16)
H = 2 / N * X.t().matmul(X)  # exact: every product and sum is a dyadic number well inside 53 bits


# ---- GPTQ ------------------------------------------------------------------------------------------
def find_params(x, bits, sym):
    maxq = 2 ** bits - 1
    zeros = torch.zeros(x.shape[0])
    xmin = torch.minimum(x.min(1)[0], zeros)
    xmax = torch.maximum(x.max(1)[0], zeros)
    if sym:
        xmax = torch.maximum(torch.abs(xmin), xmax)
        neg = xmin < 0
        xmin[neg] = -xmax[neg]
    both = (xmin == 0) & (xmax == 0)
    xmin[both] = -1
    xmax[both] = 1
    scale = (xmax - xmin) / maxq
    zero = torch.full_like(scale, (maxq + 1) / 2) if sym else torch.round(-xmin / scale)
    return scale.unsqueeze(1), zero.unsqueeze(1)


def quantize(x, scale, zero, maxq):
    q = torch.clamp(torch.round(x / scale) + zero, 0, maxq)
    return q, scale * (q - zero)


def gptq(W, H, bits, groupsize=-1, blocksize=128, percdamp=0.01, actorder=False, sym=False):
    W = W.clone()
    H = H.clone()
    cols = W.shape[1]
    maxq = 2 ** bits - 1
    scale, zero = find_params(W, bits, sym)
    dead = torch.diag(H) == 0
    H[dead, dead] = 1
    W[:, dead] = 0
    if actorder:
        perm = torch.argsort(torch.diag(H), descending=True)
        W = W[:, perm]
        H = H[perm][:, perm]
        invperm = torch.argsort(perm)
    Q = torch.zeros_like(W)
    C = torch.zeros_like(W)
    loss = 0.0
    idx = torch.arange(cols)
    H[idx, idx] += percdamp * torch.mean(torch.diag(H))
    Hinv = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(H)), upper=True)
    for i1 in range(0, cols, blocksize):
        i2 = min(i1 + blocksize, cols)
        W1 = W[:, i1:i2].clone()
        Err1 = torch.zeros_like(W1)
        Hinv1 = Hinv[i1:i2, i1:i2]
        for i in range(i2 - i1):
            if groupsize != -1 and (i1 + i) % groupsize == 0:
                scale, zero = find_params(W[:, i1 + i:i1 + i + groupsize], bits, sym)
            w = W1[:, i]
            d = Hinv1[i, i]
            c, q = quantize(w.unsqueeze(1), scale, zero, maxq)
            Q[:, i1 + i] = q.flatten()
            C[:, i1 + i] = c.flatten()
            err = (w - q.flatten()) / d
            loss += float(torch.sum(err ** 2) / 2)
            W1[:, i:] -= err.unsqueeze(1).matmul(Hinv1[i, i:].unsqueeze(0))
            Err1[:, i] = err
        W[:, i2:] -= Err1.matmul(Hinv[i1:i2, i2:])
    if actorder:
        Q = Q[:, invperm]
        C = C[:, invperm]
    return C.to(torch.int64), Q, loss


def rows_hex(codes):
    return [''.join('%x' % int(v) for v in row) for row in codes]


def proxy(Wq):
    D = W - Wq
    return float(torch.trace(D.matmul(H).matmul(D.t())))


print('== inputs: W[0,0:4] =', [float(v) for v in W[0, :4]], ' X[0,0:8] =', [float(v) for v in X[0, :8]])
print('H[0,0] =', float(H[0, 0]), ' H[7,7] =', float(H[7, 7]), ' H[0,1] =', float(H[0, 1]))
cases = [
    ('gptq 4-bit, whole rows', dict(bits=4)),
    ('gptq 3-bit, group 8, act-order, block 16', dict(bits=3, groupsize=8, actorder=True, blocksize=16)),
    ('gptq 4-bit symmetric, group 16, block 8', dict(bits=4, groupsize=16, blocksize=8, sym=True)),
]
for name, kw in cases:
    C, Q, loss = gptq(W, H, **kw)
    print('==', name, kw)
    print('codes rows (hex):', rows_hex(C))
    print('loss (reference "error") = %.17g' % loss)
    print('proxy tr((W-Q)H(W-Q)^T) = %.17g' % proxy(Q))
    print('Q[0,0:4] =', ['%.17g' % float(v) for v in Q[0, :4]], ' Q[15,28:32] =', ['%.17g' % float(v) for v in Q[15, 28:]])
Hd = H.clone()
Hd[5, 5] = 1  # the dead column's fix, as fasterquant makes it before sorting
print('act-order (argsort of diag H after the dead-column fix):', [int(v) for v in torch.argsort(torch.diag(Hd), descending=True)])


# ---- AWQ -------------------------------------------------------------------------------------------
def pseudo_quantize(w, n_bit, group):
    shape = w.shape
    if group > 0:
        w = w.reshape(-1, group)
    mx = w.amax(dim=1, keepdim=True)
    mn = w.amin(dim=1, keepdim=True)
    max_int = 2 ** n_bit - 1
    scales = (mx - mn).clamp(min=1e-5) / max_int
    zeros = (-torch.round(mn / scales)).clamp_(0, max_int)
    w = (torch.clamp(torch.round(w / scales) + zeros, 0, max_int) - zeros) * scales
    return w.reshape(shape)


def awq(W, X, bits, group, n_grid=20):
    org_out = X.matmul(W.t())
    x_max = X.abs().view(-1, X.shape[-1]).mean(0)
    best_error, best_ratio, history = float('inf'), -1, []
    for k in range(n_grid):
        ratio = k * 1 / n_grid
        s = x_max.pow(ratio).clamp(min=1e-4).view(-1)
        s = s / (s.max() * s.min()).sqrt()
        Wq = pseudo_quantize(W * s.view(1, -1), bits, group) / s.view(1, -1)
        loss = (org_out - X.matmul(Wq.t())).pow(2).mean().item()
        history.append(loss)
        if loss < best_error:
            best_error, best_ratio, best_w = loss, ratio, Wq
    return best_ratio, best_error, history, best_w


for bits, group in ((4, 8), (3, 16)):
    ratio, err, hist, Wq = awq(W, X, bits, group)
    print('== awq %d-bit group %d: alpha = %r, error = %.17g' % (bits, group, ratio, err))
    print('losses:', ['%.17g' % v for v in hist])
    print("W'[0,0:4] =", ['%.17g' % float(v) for v in Wq[0, :4]])


# ---- LLM.int8() ------------------------------------------------------------------------------------
def int8_vectorwise_quant(A, threshold):
    A = A.clone()
    outlier_cols = torch.empty(0, dtype=torch.int64)
    if threshold > 0:
        outliers = A.abs() >= threshold
        outlier_cols = torch.argwhere(outliers.any(dim=0)).view(-1)
        A[outliers] = 0
    row_stats = A.abs().max(dim=1).values
    codes = torch.round(A * (127.0 / row_stats.unsqueeze(-1)))
    codes[:, outlier_cols] = 0
    return codes, row_stats, outlier_cols


def llm_int8(X, W, threshold):
    CA, SCA, cols = int8_vectorwise_quant(X, threshold)
    CB, SCB, _ = int8_vectorwise_quant(W, 0.0)
    acc = CA.matmul(CB.t())  # integers, exact in float64
    y = acc * SCA.unsqueeze(1) * SCB.unsqueeze(0) / (127 * 127)
    if cols.numel():
        y = y + X[:, cols].matmul(W[:, cols].t())
    return y, cols, CA, CB


XI = inputs(N, COLS, 3, 1 / 64)  # |x| ≤ 2 · 2 except column 7 (× 8)
y, cols, CA, CB = llm_int8(XI, W, 6.0)
print('== llm.int8 threshold 6: outlier columns', [int(c) for c in cols])
print('row 0 X codes (non-outlier):', [int(v) for v in CA[0, :10]])
print('y[0,0:4] =', ['%.17g' % float(v) for v in y[0, :4]], ' y[63,12:16] =', ['%.17g' % float(v) for v in y[63, 12:16]])
yf = XI.matmul(W.t())
print('mse vs float = %.17g' % float((y - yf).pow(2).mean()))
y8, _, _, _ = llm_int8(XI, W, float('inf'))
print('threshold inf: mse vs float = %.17g' % float((y8 - yf).pow(2).mean()))


# ---- SmoothQuant + W8A8 ----------------------------------------------------------------------------
def absmax_fake_quant(t, dim):
    s = (t.abs().max() if dim is None else t.abs().max(dim=dim, keepdim=True)[0]).clamp(min=1e-5) / 127
    return torch.round(t / s) * s


act = XI.abs().max(dim=0)[0]
wmax = W.abs().max(dim=0)[0].clamp(min=1e-5)
s = (act.pow(0.5) / wmax.pow(0.5)).clamp(min=1e-5)
print('== smoothquant alpha 0.5: s[0:8] =', ['%.17g' % float(v) for v in s[:8]])
Xs, Ws = XI / s, W * s
for name, xs, ws in (('plain', XI, W), ('smoothed', Xs, Ws)):
    for gran, dim in (('per-token', -1), ('per-tensor', None)):
        yq = absmax_fake_quant(xs, dim).matmul(absmax_fake_quant(ws, -1).t())
        print('w8a8 %s %s: mse vs float = %.17g' % (name, gran, float((yq - yf).pow(2).mean())))


# ---- a larger case: 64 × 128 weight, 512 tokens; codes summarised by an MD5 of their comma-joined list
import hashlib  # noqa: E402

W2, X2 = weight(64, 128, 7), inputs(512, 128, 8, 1 / 16)
H2 = 2 / 512 * X2.t().matmul(X2)
for kw in (dict(bits=4), dict(bits=3, groupsize=32, actorder=True), dict(bits=4, groupsize=64, sym=True, blocksize=32)):
    C, Q, loss = gptq(W2, H2, **kw)
    digest = hashlib.md5(','.join(str(int(v)) for v in C.flatten()).encode()).hexdigest()
    print('== larger gptq', kw, 'codes md5', digest, 'loss %.17g' % loss)
for bits, group in ((4, 32), (3, 64)):
    ratio, err, _, _ = awq(W2, X2, bits, group)
    print('== larger awq %d-bit group %d: alpha = %r, error = %.17g' % (bits, group, ratio, err))
