// %% perplexity
// The tiny model with NF4 + double-quantized Linear weights, against FP32, on 2 held-out windows.
// Try: 'int4-group64' or 'int8-channel', or more windows.
const fp32 = await model.load('fp32');
const nf4 = await model.load('nf4-dq');
print('perplexity FP32', await fp32.perplexity({ windows: 2 }), ' NF4', await nf4.perplexity({ windows: 2 }));
print(await nf4.compare(fp32, { windows: 2 }));
export {};
