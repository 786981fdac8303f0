// The QLoRA lesson's widgets, one chunk for both (components/mdx/widgets.tsx).
export { FineTuneComparison } from '@/components/widgets/qlora/FineTuneComparison';
export { QloraTrainer } from '@/components/widgets/qlora/QloraTrainer';
