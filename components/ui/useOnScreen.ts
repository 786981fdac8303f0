'use client';

import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether the element is on screen now (unlike useNearScreen, this goes back to false when it
 * leaves), so long-running work such as training can pause while the learner reads elsewhere, and
 * while the tab is hidden. Without IntersectionObserver it is always true.
 */
export function useOnScreen(ref: RefObject<Element | null>, threshold = 0.05): boolean {
  const [intersecting, setIntersecting] = useState(true);
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => setIntersecting(entries.some((e) => e.isIntersecting)), { threshold });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, threshold]);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return intersecting && visible;
}
