import type { Metadata } from 'next';
import { FakeQuantSelfTest } from '@/components/widgets/gpu-selftest/FakeQuantSelfTest';
import { AdamWSelfTest, BatchOpsSelfTest, DecodeSelfTest, SoftwareKernelSelfTest } from '@/components/widgets/gpu-selftest/Lazy';
import { MethodsSelfTest } from '@/components/widgets/gpu-selftest/MethodsSelfTest';
import { GpuSelfTest } from '@/components/widgets/gpu-selftest/GpuSelfTest';
import { Nf4SelfTest } from '@/components/widgets/gpu-selftest/Nf4SelfTest';
import { WeightFormatSelfTest } from '@/components/widgets/gpu-selftest/WeightFormatSelfTest';

export const metadata: Metadata = {
  title: 'Check your GPU',
  description: 'Runs the course’s WebGPU quantization kernels against the plain TypeScript reference on seeded tensors.',
};

export default function GpuPage() {
  return (
    <div className="column">
      <h1>Check your GPU</h1>
      <h2>Quantization kernels</h2>
      <p>
        The quantization lab computes on your GPU with hand-written WebGPU kernels, and every one of them has a plain
        TypeScript twin that follows PyTorch&rsquo;s rules to the bit. This page runs both on the same seeded tensors —
        per tensor, per channel and group-wise, with min–max, percentile and MSE calibration, and with NaN, infinities and
        a constant tensor thrown in — and compares every code and every statistic.
      </p>
      <GpuSelfTest />
      <h2>NF4 dequantization</h2>
      <p>
        The 4-bit lesson and the QLoRA loop keep their base weights in NF4 with double-quantized constants, packed eight
        codes to a 32-bit word, and expand them on the GPU only when a matmul needs them. This check dequantizes seeded
        weights with that kernel and with the TypeScript reference of bitsandbytes&rsquo; rules, compares every value bit
        for bit, and reports how many bytes the device holds per weight.
      </p>
      <Nf4SelfTest />
      <h2>Weight storage formats</h2>
      <p>
        The quantized-inference lesson runs the tiny GPT with its linear layers stored in fp32, fp16, bf16, int8 per
        channel, int4 per group of 64 or NF4, each packed into 32-bit words and expanded by its own kernel when a matmul
        needs it (embeddings, norms and biases stay float32, as in bitsandbytes). This check stores seeded weights in every
        format — partial words, a row of zeros, fp16&rsquo;s largest and subnormal values, an outlier — compares what the
        kernels return with the TypeScript reference bit for bit, and measures the bytes each format holds.
      </p>
      <WeightFormatSelfTest />
      <h2 id="gptq-and-awq">GPTQ and AWQ</h2>
      <p>
        The GPTQ and AWQ lesson quantizes the tiny GPT&rsquo;s layers with their heavy parts on the GPU: GPTQ&rsquo;s
        column loop — every column rounded and its error fed back into the columns still to come — runs in a WebGPU kernel
        with one thread per row, and AWQ&rsquo;s search quantizes the weight and multiplies it with the calibration inputs
        for every α at once. This check runs both on seeded layers whose inputs have a few large channels, and compares
        them with the plain TypeScript references. The GPU computes in float32 and the references in float64, so a weight
        that sits within float32 rounding of a half step can land on the neighbouring grid point; the check bounds how
        often, and how much the loss moves.
      </p>
      <MethodsSelfTest />
      <h2 id="fake-quantization">Fake quantization for QAT</h2>
      <p>
        Quantization-aware training fake-quantizes every Linear weight in every step: it finds each row&rsquo;s (or
        group&rsquo;s) range, rounds the weights onto that grid and hands them to the forward pass, and in the backward pass
        lets the gradient through only where a weight was not clamped. On WebGPU each direction is one fused kernel. This
        check runs both kernels on seeded weights and compares the values and the gradients with the TypeScript reference.
      </p>
      <FakeQuantSelfTest />
      <h2 id="fused-decode">Fused decoding</h2>
      <p>
        Generating text one token at a time reads every weight once per token and does little arithmetic with it, so
        the course decodes with a KV cache and a few fused kernels: each linear layer multiplies straight from its packed
        words (fp16, bf16, int8, int4 or NF4) without writing out a float32 copy, attention reads the cached keys and values
        for the one new query, and the next token is drawn on the GPU, so only its id comes back. This check runs each
        kernel on seeded inputs against the TypeScript references, then decodes with a seeded two-block model and compares
        every step with a forward pass over the whole context. A prompt, a perplexity window or a training batch has many
        rows, and for those a tiled kernel multiplies them by the packed weight, decoding each word once per four rows; its
        backward pass, the gradient for the layer&rsquo;s input that QLoRA needs, reads the packed words too. (On a GPU
        emulated on the CPU the course expands each weight once instead, which measured faster there.) The
        dequantizing-matmul cases check both directions in every storage format.
      </p>
      <DecodeSelfTest />
      <h2 id="emulated-gpus">Matmul and reductions for emulated GPUs</h2>
      <p>
        When the browser&rsquo;s WebGPU runs in software, on the CPU, the course replaces tfjs&rsquo;s matrix product,
        sums, means and softmax with kernels that keep each thread&rsquo;s work in registers: tfjs&rsquo;s versions share
        tiles through workgroup memory, which an emulated GPU runs slowly. This check runs those kernels on any WebGPU
        adapter, on seeded tensors shaped as a training step uses them, and compares them with the TypeScript references.
      </p>
      <SoftwareKernelSelfTest />
      <h2 id="optimizer">The optimizer&rsquo;s step</h2>
      <p>
        Every training step ends with AdamW updating each trained tensor: its moments, the bias corrections and the
        decoupled weight decay, after clipping all gradients to one global norm. As tfjs operations that is about fifteen
        small GPU programs per tensor; on WebGPU the course runs it as three (the gradient&rsquo;s sum of squares, the new
        values, the new moments). This check takes a few steps on seeded tensors and compares the results with the
        optimizer&rsquo;s TypeScript reference in double precision.
      </p>
      <AdamWSelfTest />
      <h2 id="training-kernels">Attention, GELU and layer norm over a batch</h2>
      <p>
        A training step runs the model forward over whole windows and then backward. As tfjs operations, attention alone
        is a split, transposes of the heads, the mask, the softmax and their gradients; the GELU and each layer norm are a
        dozen small programs more. On WebGPU the course keeps attention&rsquo;s two products as matrix multiplications and
        runs what surrounds them as one program each: the split into heads, the scale with the mask and the softmax, the
        merge, and their gradients. The GELU is one program each way, and layer norm one forward and two or three
        backward. These checks run them on seeded inputs
        and compare the values and the gradients with TypeScript references in double precision.
      </p>
      <BatchOpsSelfTest />
    </div>
  );
}
