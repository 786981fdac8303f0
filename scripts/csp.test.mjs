import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inlineScripts, policyFor, scriptHash, withCspMeta } from './csp.mjs';

const page =
  '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><link rel="stylesheet" href="/a.css"/>' +
  '<script src="/_next/static/chunks/a.js" async=""></script><script id="_R_">self.x=1</script></head>' +
  '<body><p>Ünïcode</p><script>(self.__next_f=self.__next_f||[]).push([0])</script>' +
  '<script>self.__next_f.push([1,"é\\u003c/script>"])</script></body></html>';

describe('scripts/csp.mjs', () => {
  it('finds the inline scripts and skips those with src', () => {
    expect(inlineScripts(page)).toEqual(['self.x=1', '(self.__next_f=self.__next_f||[]).push([0])', 'self.__next_f.push([1,"é\\u003c/script>"])']);
  });

  it('hashes the UTF-8 text the way browsers do: sha256, base64', () => {
    // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    expect(scriptHash('alert(1)')).toBe("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    expect(scriptHash('é')).toBe(`'sha256-${createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('base64')}'`);
  });

  it("lists every inline script's hash in script-src and allows no inline script or eval", () => {
    const policy = policyFor(inlineScripts(page));
    const scriptSrc = policy.split('; ').find((d) => d.startsWith('script-src '))?.split(' ') ?? [];
    for (const s of inlineScripts(page)) expect(scriptSrc).toContain(scriptHash(s));
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('frame-ancestors'); // ignored in a meta tag: sent as a header
  });

  it('puts the meta tag right after <meta charset>, before any script or stylesheet, and is idempotent', () => {
    const once = withCspMeta(page);
    expect(once.indexOf('http-equiv="Content-Security-Policy"')).toBeGreaterThan(once.indexOf('<meta charSet'));
    expect(once.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(once.indexOf('<link'));
    expect(withCspMeta(once)).toBe(once);
    expect(once.match(/Content-Security-Policy/g)).toHaveLength(1);
  });
});
