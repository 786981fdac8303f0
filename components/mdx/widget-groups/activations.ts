// The activations lesson's widgets, one chunk: each is a small near-screen wrapper that loads its heavy part lazily (components/mdx/widgets.tsx).
export { ActivationHeatmap, Int8Decomposition, SchemeComparison, SmoothingAlpha } from '@/components/widgets/activations/Lazy';
