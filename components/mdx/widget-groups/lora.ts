// The LoRA lesson's widgets, one chunk for both (components/mdx/widgets.tsx).
export { LowRankSpectrum } from '@/components/widgets/lora/LowRankSpectrum';
export { RankVsParameters } from '@/components/widgets/lora/RankVsParameters';
