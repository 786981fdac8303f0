/**
 * Loading the tiny model: a config.json and a model.safetensors in nanoGPT's tensor names,
 * from memory (a file a learner dropped, or bytes in a test) or from a URL (the shipped model in
 * public/models/<name>/). Every tensor the config needs is checked for presence, shape, dtype and
 * finite values before anything is uploaded, and a problem is reported by name.
 */
import { errorMessage } from '../errors';
import { fetchFailure } from '../io/fetch-file';
import type { Tfjs } from '../compute';
import { readSafetensors, readSafetensorsBlob, tensorToFloat32, type SafetensorsTensor } from '../io/safetensors';
import { parseTinyLMConfig, type TinyLMConfig } from './config';
import { createFloat32Store } from './float32-store';
import { tinyLMTensorShapes } from './reference-forward';
import { TinyLM } from './tiny-lm';

/** The model's files: a parsed-JSON config and the safetensors bytes or Blob; or the folder URL holding config.json and model.safetensors. */
export type TinyLMSource = { config: unknown; safetensors: Uint8Array | Blob } | { url: string };

/** A config or weights file the model cannot be built from; the message names the field or tensor. */
export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16']);

/** Parses a config object, throwing a ModelLoadError with parseTinyLMConfig's message. */
export function configOrThrow(json: unknown): TinyLMConfig {
  const parsed = parseTinyLMConfig(json);
  if (!parsed.ok) throw new ModelLoadError(`config.json: ${parsed.error}`);
  return parsed.config;
}

/**
 * The float32 weights the config needs, from a safetensors file's tensors: each must exist, have the
 * shape tinyLMTensorShapes gives, be F32, F16 or BF16 (widened exactly to float32 by
 * tensorToFloat32) and hold only finite values. Extra tensors (e.g. a tied lm_head.weight) are ignored.
 */
export function checkedWeights(config: TinyLMConfig, tensors: ReadonlyMap<string, SafetensorsTensor>): { values: Map<string, Float32Array>; shapes: Map<string, number[]> } {
  const values = new Map<string, Float32Array>();
  const shapes = tinyLMTensorShapes(config);
  for (const [name, shape] of shapes) {
    const t = tensors.get(name);
    if (!t) throw new ModelLoadError(`model.safetensors has no tensor "${name}", which the config (${config.n_layer} layers) needs.`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new ModelLoadError(`"${name}" has shape [${t.shape.join(', ')}]; the config needs [${shape.join(', ')}].`);
    }
    if (!FLOAT_DTYPES.has(t.dtype)) throw new ModelLoadError(`"${name}" is stored as ${t.dtype}; the model reads F32, F16 or BF16.`);
    const v = tensorToFloat32(t);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new ModelLoadError(`"${name}" holds ${v[bad]} at index ${bad}; every weight must be a finite number.`);
    values.set(name, v);
  }
  return { values, shapes };
}

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ModelLoadError(fetchFailure(url, { error: e }));
  }
  if (!res.ok) throw new ModelLoadError(fetchFailure(url, { status: res.status, statusText: res.statusText }));
  return res;
}

export interface TinyLMWeights {
  config: TinyLMConfig;
  values: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
}

/**
 * Reads a config and a safetensors file (bytes or a Blob, the latter in pieces by
 * readSafetensorsBlob) into checked float32 weights (see checkedWeights).
 */
export async function readTinyLMWeights(configJson: unknown, file: Uint8Array | Blob): Promise<TinyLMWeights> {
  const config = configOrThrow(configJson);
  const { tensors } = file instanceof Uint8Array ? readSafetensors(file) : await readSafetensorsBlob(file);
  return { config, ...checkedWeights(config, tensors) };
}

/**
 * Fetches `${url}/config.json` and then `${url}/model.safetensors` (the config is checked before the
 * weights are downloaded) and reads them with readTinyLMWeights.
 */
export async function fetchTinyLMWeights(url: string): Promise<TinyLMWeights> {
  const base = url.replace(/\/+$/, '');
  const res = await fetchOk(`${base}/config.json`);
  let json: unknown;
  try {
    json = await res.json();
  } catch (e) {
    throw new ModelLoadError(`${base}/config.json is not valid JSON (${errorMessage(e)}).`);
  }
  configOrThrow(json); // before downloading the weights
  const blob = await (await fetchOk(`${base}/model.safetensors`)).blob();
  return readTinyLMWeights(json, blob);
}

/**
 * Loads the tiny GPT onto tfjs's active backend with float32 weights (createFloat32Store) and returns
 * a TinyLM, whose `logits(tokens): Promise<Float32Array>` is the API. `tf` is the tfjs the
 * course loaded (`(await getCompute()).tf`, or tfjs-core with a backend set, in tests).
 *
 * From `{url}` it fetches the files (fetchTinyLMWeights); from `{config, safetensors}` it reads the
 * given JSON value and bytes or Blob. Throws a ModelLoadError for a bad config, a failed fetch or a
 * missing, misshapen, non-float or non-finite tensor, and a SafetensorsError for a malformed file.
 */
export async function loadTinyLM(tf: Tfjs, source: TinyLMSource): Promise<TinyLM> {
  const { config, values, shapes } = 'url' in source ? await fetchTinyLMWeights(source.url) : await readTinyLMWeights(source.config, source.safetensors);
  return new TinyLM(tf, config, createFloat32Store(tf, values, shapes));
}
