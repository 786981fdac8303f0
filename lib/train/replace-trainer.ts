/**
 * Builds the trainer a worker's `init` asks for, validating everything before anything is replaced:
 * an imported adapter (adapter_model.safetensors + adapter_config.json) is read and checked against
 * the model in full (lib/train/peft importPeftAdapter: names, ranks, shapes, dtypes, finite values,
 * r no larger than the model's matrices) before the new Trainer allocates a single tensor, and a
 * Trainer that fails while loading it is disposed again. The caller swaps its current trainer for
 * the result only when this returns, so a bad file leaves the trained run exactly as it was.
 */
import type { LoraConfig } from './lora';
import { importPeftAdapter } from './peft';
import { Trainer, type TrainerDeps, type TrainerOptions } from './trainer';

export interface AdapterFiles {
  safetensors: ArrayBuffer | Uint8Array;
  adapterConfig: unknown;
}

/**
 * A new Trainer for `options`, or — with `adapter` — for the adapter's own r, α, dropout and
 * targets (full fine-tuning and QAT become QLoRA, since an adapter needs adapters), with its weights
 * loaded. Throws a PeftImportError / SafetensorsError naming the problem, having allocated nothing
 * that outlives the call.
 */
export async function buildTrainer(deps: TrainerDeps, options: TrainerOptions, adapter?: AdapterFiles): Promise<Trainer> {
  if (!adapter) return new Trainer(deps, options);
  const bytes = adapter.safetensors instanceof Uint8Array ? adapter.safetensors : new Uint8Array(adapter.safetensors);
  const checked = importPeftAdapter(deps.weights.config, bytes, adapter.adapterConfig);
  const lora: LoraConfig = checked.config;
  const t = new Trainer(deps, { ...options, mode: options.mode === 'full' || options.mode === 'qat' ? 'qlora' : options.mode, lora });
  try {
    await t.importAdapter(bytes, adapter.adapterConfig);
    return t;
  } catch (e) {
    t.dispose();
    throw e;
  }
}
