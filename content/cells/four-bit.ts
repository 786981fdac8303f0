// %% nf4-check
// The check values: one block of eight weights in NF4.
const block = new Float32Array([0.8, -0.3, 0.05, -1.6, 1.2, 0.0, -0.04, 0.4]);
const nf4 = quant.quantize4bit(block, { type: 'nf4', blockSize: 64 });
print('absmax', nf4.absmax[0], 'bytes', Array.from(nf4.packed, (b) => b.toString(16).toUpperCase()));
// %% block-size
// Error of NF4 on 16,384 normal weights at block 64. Try: change the block size to 128 or 4096.
const blockSize = 64;
const w = random.normal(16384, { std: 0.02, seed: 1 });
const q = quant.quantize4bit(w, { type: 'nf4', blockSize });
const back = quant.dequantize4bit(q.packed, q.absmax, { type: 'nf4', blockSize, length: w.length });
print('MSE', quant.mse(w, back), 'bits per weight', quant.fourBitBitsPerParameter(blockSize, true));
plot.hist(back.map((v, i) => v - w[i]), { title: 'NF4 errors', xLabel: 'error' });
export {};
