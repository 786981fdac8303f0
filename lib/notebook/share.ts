/**
 * Share links: a whole notebook in the URL fragment (`#nb=…`), so a link carries code without a
 * server and the code never reaches one (browsers do not send the fragment). The notebook's JSON is
 * compressed with DEFLATE (raw, RFC 1951, through the standard CompressionStream available in
 * browsers and Node ≥ 18) and written in base64url (RFC 4648 §5, no padding), behind a version tag:
 *
 *   #nb=1.<base64url(deflate-raw(utf8(JSON.stringify(doc))))>
 *
 * Decoding is bounded — the fragment, the inflated bytes and the notebook itself — and validated by
 * checkNotebook, so a hand-made link cannot bring more than a notebook may hold. Code that arrives
 * by link is data: nothing here runs it.
 */
import { checkNotebook, MAX_NOTEBOOK_CHARS, NotebookFormatError, type NotebookDoc } from './document';

export const SHARE_PARAM = 'nb';
const VERSION = '1';

/** Longest fragment accepted (browsers and chat apps cut very long URLs well before this). */
export const MAX_SHARE_FRAGMENT_CHARS = 200_000;
/** Most bytes a link may inflate to: the notebook's character bound in UTF-8, plus JSON syntax. */
export const MAX_SHARE_INFLATED_BYTES = 4 * MAX_NOTEBOOK_CHARS + 100_000;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new NotebookFormatError('The link is damaged: it has characters a share link never contains.');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new NotebookFormatError('The link is damaged: its code is cut short or changed.');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, maxOut: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const done = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  done.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    total += value.length;
    if (total > maxOut) {
      await reader.cancel();
      throw new NotebookFormatError(`The link's notebook is larger than ${(maxOut / 1e6).toFixed(1)} MB once unpacked; it was not opened.`);
    }
    chunks.push(value);
  }
  await done;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fragment (without "#") that carries `doc`: "nb=1.…". */
export async function encodeShareFragment(doc: NotebookDoc): Promise<string> {
  const json = JSON.stringify(checkNotebook(doc));
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'), Infinity);
  return `${SHARE_PARAM}=${VERSION}.${toBase64Url(packed)}`;
}

/** Whether a location hash (with or without "#") holds a share link. */
export function hasShareFragment(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(`${SHARE_PARAM}=`);
}

/**
 * The notebook a fragment carries ("#nb=1.…" or "nb=1.…"). NotebookFormatError, in words for the
 * learner, for a fragment that is not a share link, has an unknown version, is damaged, inflates
 * past the bound, or holds an invalid notebook.
 */
export async function decodeShareFragment(hash: string): Promise<NotebookDoc> {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith(`${SHARE_PARAM}=`)) throw new NotebookFormatError('This address has no shared notebook in it.');
  if (h.length > MAX_SHARE_FRAGMENT_CHARS) throw new NotebookFormatError(`The link is ${h.length.toLocaleString('en-US')} characters long; share links of up to ${MAX_SHARE_FRAGMENT_CHARS.toLocaleString('en-US')} are opened.`);
  const body = h.slice(SHARE_PARAM.length + 1);
  const dot = body.indexOf('.');
  const version = dot < 0 ? '' : body.slice(0, dot);
  if (version !== VERSION) throw new NotebookFormatError(`This share link has format version "${version.slice(0, 8)}", which this version of the course cannot read.`);
  const packed = fromBase64Url(body.slice(dot + 1));
  let bytes: Uint8Array;
  try {
    bytes = await pipe(packed, new DecompressionStream('deflate-raw'), MAX_SHARE_INFLATED_BYTES);
  } catch (e) {
    if (e instanceof NotebookFormatError) throw e;
    throw new NotebookFormatError('The link is damaged: its code could not be unpacked.');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new NotebookFormatError('The link is damaged: it unpacks to something that is not a notebook.');
  }
  return checkNotebook(value);
}
