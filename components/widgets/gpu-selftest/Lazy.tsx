'use client';

import { lazy, Suspense, type ReactNode } from 'react';

const Decode = lazy(() => import('./DecodeSelfTest').then((m) => ({ default: m.DecodeSelfTest })));
const Software = lazy(() => import('./SoftwareKernelSelfTest').then((m) => ({ default: m.SoftwareKernelSelfTest })));
const AdamW = lazy(() => import('./AdamWSelfTest').then((m) => ({ default: m.AdamWSelfTest })));
const BatchOps = lazy(() => import('./BatchOpsSelfTest').then((m) => ({ default: m.BatchOpsSelfTest })));

/** While a check's code loads: its title and a loading line, where the check will be. */
function Later({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Suspense fallback={<section className="widget" aria-busy="true"><h3>{title}</h3><p className="widget-caption">Loading this check…</p></section>}>
      {children}
    </Suspense>
  );
}

/** The page's later checks, each loaded after the page is live (their case lists and tables stay off its first load). */
export function DecodeSelfTest() {
  return <Later title="Fused decode and dequantizing matmul kernels against the CPU references"><Decode /></Later>;
}

export function SoftwareKernelSelfTest() {
  return <Later title="Matmul, sums and softmax for emulated GPUs against the CPU reference"><Software /></Later>;
}

export function AdamWSelfTest() {
  return <Later title="The optimizer's step in three kernels against the CPU reference"><AdamW /></Later>;
}

export function BatchOpsSelfTest() {
  return <Later title="Training kernels: attention, GELU and layer norm with their gradients"><BatchOps /></Later>;
}
