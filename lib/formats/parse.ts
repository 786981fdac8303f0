/**
 * Reads a number typed by a learner into a format widget: decimals ("0.1", "-2.5", ".5"),
 * scientific notation ("1e-3", "6.1E4"), powers of two ("2^-24", "-2^15"), and the special
 * values "inf", "infinity", "∞", "nan" (any case, with an optional sign; "−" is accepted as minus).
 */
import { INPUT_LIMITS, inputTooLong, quoteInput } from '../text/input';

export type ParsedNumber = { ok: true; value: number } | { ok: false; error: string };

export function parseNumberInput(text: string): ParsedNumber {
  const long = inputTooLong(text, INPUT_LIMITS.number, 'a number');
  if (long) return { ok: false, error: long };
  const t = text.trim().replace(/\u2212/g, '-').replace(/\s+/g, '');
  if (t === '') return { ok: false, error: 'Type a number, e.g. 0.1, -2.5, 1e-3 or 2^-24.' };
  const special = /^([+-]?)(inf|infinity|∞|nan)$/i.exec(t);
  if (special) {
    if (/nan/i.test(special[2])) return { ok: true, value: Number.NaN };
    return { ok: true, value: special[1] === '-' ? -Infinity : Infinity };
  }
  const pow = /^([+-]?)2\^([+-]?\d+)$/.exec(t);
  if (pow) {
    const e = Number(pow[2]);
    if (e > 1023) return { ok: true, value: pow[1] === '-' ? -Infinity : Infinity };
    const v = e < -1074 ? 0 : 2 ** e;
    return { ok: true, value: pow[1] === '-' ? -v : v };
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    return { ok: false, error: `${quoteInput(text.trim())} is not a number. Try 0.1, -2.5, 1e-3, 2^-24, inf or nan.` };
  }
  return { ok: true, value: Number(t) };
}
