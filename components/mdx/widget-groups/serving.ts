// The serving lesson's widgets, one chunk: the light ones directly, the ones that load tfjs or the model through near-screen wrappers (components/mdx/widgets.tsx).
export { AdapterServing } from '@/components/widgets/serving/AdapterServing';
export { KvCacheVsWeights } from '@/components/widgets/serving/KvCacheVsWeights';
export { PagedAllocation } from '@/components/widgets/serving/PagedAllocation';
export { KvQuantQuality, Roofline } from '@/components/widgets/serving/Lazy';
