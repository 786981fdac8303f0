'use client';

import { lazy, Suspense, type ReactNode } from 'react';

const Decode = lazy(() => import('./DecodeSelfTest').then((m) => ({ default: m.DecodeSelfTest })));
const Software = lazy(() => import('./SoftwareKernelSelfTest').then((m) => ({ default: m.SoftwareKernelSelfTest })));
const AdamW = lazy(() => import('./AdamWSelfTest').then((m) => ({ default: m.AdamWSelfTest })));
const BatchOps = lazy(() => import('./BatchOpsSelfTest').then((m) => ({ default: m.BatchOpsSelfTest })));

function Later({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="widget-caption">Loading this check…</p>}>{children}</Suspense>;
}

/** The page's later checks, each loaded after the page is live (their case lists and tables stay off its first load). */
export function DecodeSelfTest() {
  return <Later><Decode /></Later>;
}

export function SoftwareKernelSelfTest() {
  return <Later><Software /></Later>;
}

export function AdamWSelfTest() {
  return <Later><AdamW /></Later>;
}

export function BatchOpsSelfTest() {
  return <Later><BatchOps /></Later>;
}
