/**
 * Training and held-out batches of token windows, as nanoGPT's train.py `get_batch` draws them:
 * a window of blockSize + 1 tokens starting at a uniformly random offset; the model reads the first
 * blockSize tokens and is scored on the next token at every position (the window shifted by one).
 * Held-out batches are the deterministic, non-overlapping windows of lib/model/eval's evalWindows.
 */
import { evalWindows } from '../model/eval';
import { mulberry32 } from '../random';

export interface Batch {
  /** B sequences of blockSize ids. */
  inputs: number[][];
  /** The next id at every position of each sequence. */
  targets: number[][];
}

function checkSizes(n: number, blockSize: number, batchSize: number): void {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new RangeError(`The window length must be a whole number ≥ 1, got ${blockSize}.`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`The batch size must be a whole number ≥ 1, got ${batchSize}.`);
  if (n < blockSize + 1) throw new RangeError(`The text has ${n} tokens; a training window needs ${blockSize + 1}.`);
}

/** The window starting at `start`: inputs ids[start, start + T), targets ids[start + 1, start + T + 1). */
export function windowAt(ids: readonly number[], start: number, blockSize: number): { inputs: number[]; targets: number[] } {
  return { inputs: ids.slice(start, start + blockSize), targets: ids.slice(start + 1, start + blockSize + 1) };
}

/**
 * B window starts drawn uniformly from 0 … n − blockSize − 1, as `torch.randint(len(data) − block_size,
 * (batch_size,))`: start = ⌊u · (n − blockSize)⌋ with u = rand() in [0, 1). Every start leaves room
 * for blockSize + 1 tokens.
 */
export function randomWindowStarts(n: number, blockSize: number, batchSize: number, rand: () => number): number[] {
  checkSizes(n, blockSize, batchSize);
  return Array.from({ length: batchSize }, () => Math.floor(rand() * (n - blockSize)));
}

/** Seeded random training batches from one text: the same seed gives the same sequence of batches. */
export class WindowSampler {
  private readonly rand: () => number;

  constructor(
    private readonly ids: readonly number[],
    readonly blockSize: number,
    readonly batchSize: number,
    seed: number,
  ) {
    checkSizes(ids.length, blockSize, batchSize);
    if (!Number.isInteger(seed)) throw new RangeError(`The seed must be a whole number, got ${seed}.`);
    this.rand = mulberry32(seed);
  }

  next(): Batch {
    const starts = randomWindowStarts(this.ids.length, this.blockSize, this.batchSize, this.rand);
    const ws = starts.map((s) => windowAt(this.ids, s, this.blockSize));
    return { inputs: ws.map((w) => w.inputs), targets: ws.map((w) => w.targets) };
  }
}

/** The held-out batch: evalWindows(ids, blockSize, maxWindows) — deterministic, non-overlapping, spread over the text. */
export function heldoutBatch(ids: readonly number[], blockSize: number, maxWindows: number): Batch {
  const ws = evalWindows(ids, blockSize, maxWindows);
  return { inputs: ws.map((w) => w.inputs), targets: ws.map((w) => w.targets) };
}
