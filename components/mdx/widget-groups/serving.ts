// The serving lesson's widgets, one chunk (components/mdx/widgets.tsx). The roofline renders its datasheet preview with the page and loads tfjs only on Measure; the KV-cache quantization widget loads near the screen.
export { AdapterServing } from '@/components/widgets/serving/AdapterServing';
export { KvCacheVsWeights } from '@/components/widgets/serving/KvCacheVsWeights';
export { PagedAllocation } from '@/components/widgets/serving/PagedAllocation';
export { Roofline } from '@/components/widgets/serving/Roofline';
export { KvQuantQuality } from '@/components/widgets/serving/Lazy';
