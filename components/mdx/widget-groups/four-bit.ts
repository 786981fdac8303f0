// The 4-bit lesson's widgets, one chunk for all five: they share d3, the charts and lib/quant (components/mdx/widgets.tsx).
export { BlocksAndAbsmax } from '@/components/widgets/four-bit/BlocksAndAbsmax';
export { DoubleQuantization } from '@/components/widgets/four-bit/DoubleQuantization';
export { FormatShootout } from '@/components/widgets/four-bit/FormatShootout';
export { GgufBlockInspector } from '@/components/widgets/four-bit/GgufBlockInspector';
export { WhyNormalFloat } from '@/components/widgets/four-bit/WhyNormalFloat';
