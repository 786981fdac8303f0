// The GPTQ and AWQ lesson's widgets, one chunk: each is a small near-screen wrapper that loads its heavy part lazily (components/mdx/widgets.tsx).
export { AwqCurve, GptqStepper, MethodsTable } from '@/components/widgets/gptq-awq/Lazy';
