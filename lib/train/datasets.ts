/**
 * The fine-tuning sets shipped in public/datasets (scripts/finetune-data), and a learner's pasted
 * text split into training and held-out parts.
 */

import { fetchFile } from '../io/fetch-file';
import { INPUT_LIMITS, inputTooLong } from '../text/input';

/** The fine-tuning sets shipped with the course (public/datasets/index.json lists them with titles). */
export const SHIPPED_DATASETS = ['kjv-shout', 'kjv-modern', 'kjv-lines'] as const;
export type ShippedDataset = (typeof SHIPPED_DATASETS)[number];

/** Short names of the shipped sets, for a compact picker. */
export const DATASET_SHORT_TITLES: Readonly<Record<ShippedDataset, string>> = { 'kjv-shout': 'ALL CAPITALS', 'kjv-modern': 'Modern wording', 'kjv-lines': 'One phrase per line' };

/** A training text and its held-out part. */
export interface TrainingTexts {
  train: string;
  heldout: string;
}

/** One entry of public/datasets/index.json. */
export interface DatasetInfo {
  name: string;
  title: string;
  description: string;
  train_chars: number;
  heldout_chars: number;
}

/** The list of shipped sets (public/datasets/index.json). */
export async function fetchDatasetIndex(): Promise<DatasetInfo[]> {
  const res = await fetchFile('/datasets/index.json'); // a failure names the file (lib/io/fetch-file)
  return (await res.json()) as DatasetInfo[];
}

/** A shipped set's training and held-out text (public/datasets/<name>/{train,heldout}.txt). */
export async function fetchDataset(name: string): Promise<TrainingTexts> {
  const get = async (part: string) => {
    const res = await fetchFile(`/datasets/${name}/${part}.txt`);
    return res.text();
  };
  const [train, heldout] = await Promise.all([get('train'), get('heldout')]);
  return { train, heldout };
}

/** The shortest paste the loop accepts: a few windows for training and at least one held out. */
export const MIN_PASTE_CHARS = 1500;

/** Splits a paste: the last 10% (at least 300 characters) is held out, the rest is for training. */
export function splitPaste(text: string): ({ ok: true } & TrainingTexts) | { ok: false; error: string } {
  const long = inputTooLong(text, INPUT_LIMITS.trainingText, 'the training text');
  if (long) return { ok: false, error: long };
  const t = text.trim();
  if (t.length === 0) return { ok: false, error: 'Paste some text to fine-tune on.' };
  if (t.length < MIN_PASTE_CHARS) return { ok: false, error: `Paste at least ${MIN_PASTE_CHARS.toLocaleString('en-US')} characters (you have ${t.length.toLocaleString('en-US')}): a tenth is held out to measure the model.` };
  const held = Math.max(300, Math.floor(t.length / 10));
  return { ok: true, train: t.slice(0, t.length - held), heldout: t.slice(t.length - held) };
}
