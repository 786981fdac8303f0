// %% nf4-base
// QLoRA's frozen base: NF4 codes plus double-quantized constants, in bits per weight.
// Try: blocks of 128, or no double quantization (false).
print('NF4 + DQ, blocks of 64:', quant.fourBitBitsPerParameter(64, true, 256), 'bits');
print('NF4, float32 constants:', quant.fourBitBitsPerParameter(64, false), 'bits');
print('a 65B base:', memory.formatBytes(65e9 * quant.fourBitBitsPerParameter(64, true, 256) / 8));
// %% train-steps
// A few QLoRA steps on the tiny model: the base frozen in NF4 + DQ, rank-8 adapters trained.
// The text is one verse in capitals, which the model has never seen. Try: mode "lora" or "full", or r: 32.
const text = 'AND GOD SAID, LET THERE BE LIGHT: AND THERE WAS LIGHT. '.repeat(120);
const trainer = await train.create({ text, mode: 'qlora', r: 8, steps: 5, batchSize: 4, blockSize: 32 });
const losses: number[] = [];
for (let i = 0; i < 5; i++) losses.push((await trainer.step()).loss);
print('training loss by step', losses.map((l) => l.toFixed(3)).join(' → '));
print('trainable parameters', trainer.getSnapshot().memory.trainableParams);
export {};
