// The PTQ vs QAT lesson's widgets, one chunk: each is a small near-screen wrapper that loads its heavy part lazily (components/mdx/widgets.tsx).
export { CalibrationSize, LoftqStart, QatShootout, SteExplorer } from '@/components/widgets/ptq-qat/Lazy';
