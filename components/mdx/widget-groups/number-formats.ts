// The number-format lesson's widgets, one chunk for all four (components/mdx/widgets.tsx).
export { AllFormats } from '@/components/widgets/number-formats/AllFormats';
export { BitExplorer } from '@/components/widgets/number-formats/BitExplorer';
export { IntegerBits } from '@/components/widgets/number-formats/IntegerBits';
export { NumberLine } from '@/components/widgets/number-formats/NumberLine';
