/**
 * How a serving engine lays out KV caches in GPU memory, simulated token by token: contiguous
 * pre-allocation (each request reserves room for its prompt plus the most tokens it may generate,
 * in one piece, first fit) against PagedAttention's fixed-size blocks (Kwon et al. 2023, "Efficient
 * Memory Management for Large Language Model Serving with PagedAttention", vLLM): a request holds
 * ⌈tokens / block⌉ blocks anywhere in memory, listed in its block table, and takes a new block only
 * when its last one is full. Same seeded request stream for both; docs/numerics.md, "Serving".
 *
 * Each step: (1) waiting requests that have arrived are admitted first come, first served while
 * they fit (a request that does not fit blocks those behind it); an admitted request writes its
 * prompt at once (prefill); (2) every other running request writes one token (decode); (3) a
 * request that has written prompt + output tokens finishes and frees its memory. Paged: when a
 * running request needs a block and none is free, the most recently admitted request is preempted
 * (its blocks freed, its progress lost; it waits at the head of the queue to be recomputed), as
 * vLLM does by default.
 */
import { mulberry32 } from '../random';

export interface ServingRequest {
  id: number;
  /** The step at which it arrives. */
  arrival: number;
  prompt: number;
  /** Tokens it will generate (unknown to the allocator in advance; at most maxNewTokens). */
  output: number;
}

export interface RequestStreamOptions {
  seed: number;
  steps: number;
  /** Probability that a request arrives at a step. */
  arrivalRate: number;
  promptRange: readonly [number, number];
  /** The most tokens a request may generate (its max_tokens); outputs are drawn in [outputMin, maxNewTokens]. */
  outputMin: number;
  maxNewTokens: number;
}

/** A seeded request stream (lib/random mulberry32): arrivals, prompt and output lengths drawn uniformly. */
export function requestStream(o: RequestStreamOptions): ServingRequest[] {
  const rand = mulberry32(o.seed);
  const uniformInt = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const out: ServingRequest[] = [];
  for (let step = 0; step < o.steps; step++) {
    if (rand() < o.arrivalRate) out.push({ id: out.length, arrival: step, prompt: uniformInt(o.promptRange[0], o.promptRange[1]), output: uniformInt(o.outputMin, o.maxNewTokens) });
  }
  return out;
}

export type AllocatorKind = 'contiguous' | 'paged';

export interface AllocationOptions {
  /** KV slots in memory, in tokens. */
  capacity: number;
  /** Tokens per block (paged). */
  blockSize: number;
  /** Reserved per request beyond its prompt (contiguous): the request's max_tokens. */
  maxNewTokens: number;
  steps: number;
}

/** A request's piece of memory at one step. */
export interface Holding {
  id: number;
  /** Tokens written so far. */
  tokens: number;
  /** Contiguous: its reservation [start, start + size). Paged: its blocks, in block-table order. */
  start: number;
  size: number;
  blocks: number[];
}

export interface AllocationStep {
  step: number;
  running: number;
  waiting: number;
  /** Slots holding a token's keys and values. */
  used: number;
  /** Slots held by requests: their reservations (contiguous) or their blocks × block size (paged). */
  held: number;
  /** Free slots no waiting request can use because no single gap fits it (contiguous only; 0 for paged). */
  externalWaste: number;
  finished: number;
  preemptions: number;
  holdings: Holding[];
}

export interface AllocationRun {
  kind: AllocatorKind;
  steps: AllocationStep[];
  /** Σ used / Σ held over the steps where something was held. */
  meanUtilisation: number;
  meanRunning: number;
  finished: number;
  preemptions: number;
}

interface Live {
  r: ServingRequest;
  tokens: number;
  start: number;
  size: number;
  blocks: number[];
  order: number;
}

function checkOptions(o: AllocationOptions, requests: readonly ServingRequest[]): void {
  for (const [k, v] of Object.entries(o)) if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${k} must be a whole number ≥ 1, got ${v}`);
  for (const r of requests) {
    if (r.output > o.maxNewTokens) throw new RangeError(`Request ${r.id} generates ${r.output} tokens, more than max_tokens ${o.maxNewTokens}.`);
    if (r.prompt + o.maxNewTokens > o.capacity) throw new RangeError(`Request ${r.id} needs ${r.prompt + o.maxNewTokens} slots; memory holds ${o.capacity}.`);
  }
}

/** First fit: the lowest start of a gap of at least `size` slots between the live reservations, or −1. */
function firstFit(live: readonly Live[], size: number, capacity: number): { start: number; largest: number } {
  const taken = [...live].sort((a, b) => a.start - b.start);
  let cursor = 0, largest = 0, start = -1;
  for (const l of [...taken, { start: capacity, size: 0 }]) {
    const gap = l.start - cursor;
    largest = Math.max(largest, gap);
    if (start < 0 && gap >= size) start = cursor;
    cursor = l.start + l.size;
  }
  return { start, largest };
}

/** Runs one allocator over the request stream for `steps` steps. */
export function simulateAllocation(kind: AllocatorKind, requests: readonly ServingRequest[], o: AllocationOptions): AllocationRun {
  checkOptions(o, requests);
  const blocksTotal = Math.floor(o.capacity / o.blockSize);
  let free: number[] = Array.from({ length: blocksTotal }, (_, i) => i);
  const queue: ServingRequest[] = [];
  let next = 0, order = 0, finished = 0, preemptions = 0;
  let live: Live[] = [];
  const steps: AllocationStep[] = [];
  const need = (tokens: number) => Math.ceil(tokens / o.blockSize);

  for (let step = 0; step < o.steps; step++) {
    while (next < requests.length && requests[next].arrival <= step) queue.push(requests[next++]);
    // (2) decode: every running request writes one token (paged: a new block when its last is full).
    for (const l of [...live].sort((a, b) => a.order - b.order)) {
      if (!live.includes(l)) continue; // preempted earlier in this step
      if (kind === 'paged' && l.tokens % o.blockSize === 0) {
        while (free.length === 0) {
          const victim = live.reduce((a, b) => (b.order > a.order ? b : a));
          free = free.concat(victim.blocks);
          live = live.filter((v) => v !== victim);
          queue.unshift(victim.r);
          preemptions++;
          if (victim === l) break;
        }
        if (!live.includes(l)) continue;
        l.blocks.push(free.shift()!);
      }
      l.tokens++;
    }
    // (1) admission, first come first served; the head of the queue blocks the rest.
    let externalWaste = 0;
    while (queue.length > 0) {
      const r = queue[0];
      if (kind === 'contiguous') {
        const size = r.prompt + o.maxNewTokens;
        const fit = firstFit(live, size, o.capacity);
        if (fit.start < 0) {
          const freeSlots = o.capacity - live.reduce((s, l) => s + l.size, 0);
          if (freeSlots >= size) externalWaste = freeSlots;
          break;
        }
        live.push({ r, tokens: r.prompt, start: fit.start, size, blocks: [], order: order++ });
      } else {
        if (need(r.prompt) > free.length) break;
        live.push({ r, tokens: r.prompt, start: 0, size: 0, blocks: free.splice(0, need(r.prompt)), order: order++ });
      }
      queue.shift();
    }
    const held = kind === 'contiguous' ? live.reduce((s, l) => s + l.size, 0) : live.reduce((s, l) => s + l.blocks.length, 0) * o.blockSize;
    steps.push({
      step,
      running: live.length,
      waiting: queue.length,
      used: live.reduce((s, l) => s + l.tokens, 0),
      held,
      externalWaste,
      finished,
      preemptions,
      holdings: live.map((l) => ({ id: l.r.id, tokens: l.tokens, start: l.start, size: l.size, blocks: [...l.blocks] })),
    });
    // (3) finished requests free their memory.
    for (const l of live.filter((v) => v.tokens >= v.r.prompt + v.r.output)) {
      if (kind === 'paged') free = free.concat(l.blocks).sort((a, b) => a - b);
      finished++;
    }
    live = live.filter((v) => v.tokens < v.r.prompt + v.r.output);
  }
  const usedSum = steps.reduce((s, x) => s + x.used, 0);
  const heldSum = steps.reduce((s, x) => s + x.held, 0);
  return {
    kind,
    steps,
    meanUtilisation: heldSum > 0 ? usedSum / heldSum : 1,
    meanRunning: steps.reduce((s, x) => s + x.running, 0) / Math.max(1, steps.length),
    finished,
    preemptions,
  };
}

/** The serving lesson's default scenario: memory for 6,144 tokens, a request every 20 steps on average, prompts of 16–256, up to 512 new tokens. */
export const PAGED_DEFAULTS = {
  seed: 7,
  steps: 600,
  arrivalRate: 0.05,
  promptRange: [16, 256] as const,
  outputMin: 16,
  maxNewTokens: 512,
  capacity: 6144,
  blockSize: 16,
} as const;
