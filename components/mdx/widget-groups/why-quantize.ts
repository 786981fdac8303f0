// The first lesson's widgets, one chunk for both (components/mdx/widgets.tsx).
export { GpuInt8Check } from '@/components/widgets/gpu-int8-check/GpuInt8Check';
export { ModelMemory } from '@/components/widgets/model-memory/ModelMemory';
