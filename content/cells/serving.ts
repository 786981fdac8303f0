// %% kv-size
// KV cache bytes = 2 × layers × KV heads × head dim × bytes per value × context × batch (lib/memory).
// Llama-2-7B: 32 layers, 32 KV heads of 128. Try Llama-2-70B: { layers: 80, kvHeads: 8, headDim: 128 }.
const shape = { layers: 32, kvHeads: 32, headDim: 128 };
print('per token, FP16:', memory.formatBinaryBytes(memory.kvCacheBytesPerToken(shape, 'fp16')));
table(([1024, 4096, 32768] as const).map((context) => ({
  context,
  'batch 1': memory.formatBytes(memory.kvCacheBytes(shape, 'fp16', context, 1)),
  'batch 16': memory.formatBytes(memory.kvCacheBytes(shape, 'fp16', context, 16)),
  'batch 16, FP8': memory.formatBytes(memory.kvCacheBytes(shape, 'fp8', context, 16)),
})));
export {};
// %% intensity
// Arithmetic intensity of a Linear (in × out) on N tokens: 2·N·in·out FLOPs over the weights read once
// plus FP16 activations in and out. Attainable FLOP/s = min(peak, bandwidth × intensity) (the roofline).
// The roof below is an H100 SXM's datasheet (989 TFLOP/s FP16 dense, 3.35 TB/s); try your measured one.
const dIn = 4096, dOut = 4096;
const peak = 989e12, bandwidth = 3.35e12;
const intensity = (n: number, bytesPerWeight: number) => (2 * n * dIn * dOut) / (dIn * dOut * bytesPerWeight + n * (dIn + dOut) * 2);
const rows = [1, 16, 256, 4096].flatMap((n) => [2, 0.5].map((b) => {
  const i = intensity(n, b);
  return { tokens: n, 'bytes/weight': b, 'FLOPs/byte': Number(i.toFixed(2)), 'attainable TFLOP/s': Number((Math.min(peak, bandwidth * i) / 1e12).toFixed(1)), bound: bandwidth * i < peak ? 'memory' : 'compute' };
}));
table(rows);
print('ridge point:', peak / bandwidth, 'FLOPs per byte');
export {};
