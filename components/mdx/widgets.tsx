'use client';

import dynamic from 'next/dynamic';

/**
 * The widgets lessons place, each loaded by next/dynamic: rendered on the server as before, its
 * code in a chunk of its own that a page preloads only when its lesson renders the widget. All
 * lessons share one route (app/lessons/[slug]/page.tsx), and the bundler gives a route one
 * first-load bundle with every component its pages could render; through these wrappers that
 * bundle holds only the wrappers, and each page still loads just its own lesson's widgets
 * (`npm run check:bundle` counts the preloaded chunks too). A lesson imports its widgets from
 * here; a new widget gets a line here.
 */

export const AllFormats = dynamic(() => import('@/components/widgets/number-formats/AllFormats').then((m) => m.AllFormats));
export const BitExplorer = dynamic(() => import('@/components/widgets/number-formats/BitExplorer').then((m) => m.BitExplorer));
export const IntegerBits = dynamic(() => import('@/components/widgets/number-formats/IntegerBits').then((m) => m.IntegerBits));
export const NumberLine = dynamic(() => import('@/components/widgets/number-formats/NumberLine').then((m) => m.NumberLine));
export const BlocksAndAbsmax = dynamic(() => import('@/components/widgets/four-bit/BlocksAndAbsmax').then((m) => m.BlocksAndAbsmax));
export const DoubleQuantization = dynamic(() => import('@/components/widgets/four-bit/DoubleQuantization').then((m) => m.DoubleQuantization));
export const FormatShootout = dynamic(() => import('@/components/widgets/four-bit/FormatShootout').then((m) => m.FormatShootout));
export const GgufBlockInspector = dynamic(() => import('@/components/widgets/four-bit/GgufBlockInspector').then((m) => m.GgufBlockInspector));
export const WhyNormalFloat = dynamic(() => import('@/components/widgets/four-bit/WhyNormalFloat').then((m) => m.WhyNormalFloat));
export const FineTuneComparison = dynamic(() => import('@/components/widgets/qlora/FineTuneComparison').then((m) => m.FineTuneComparison));
export const QloraTrainer = dynamic(() => import('@/components/widgets/qlora/QloraTrainer').then((m) => m.QloraTrainer));
export const GpuInt8Check = dynamic(() => import('@/components/widgets/gpu-int8-check/GpuInt8Check').then((m) => m.GpuInt8Check));
export const ModelMemory = dynamic(() => import('@/components/widgets/model-memory/ModelMemory').then((m) => m.ModelMemory));
export const LowRankSpectrum = dynamic(() => import('@/components/widgets/lora/LowRankSpectrum').then((m) => m.LowRankSpectrum));
export const RankVsParameters = dynamic(() => import('@/components/widgets/lora/RankVsParameters').then((m) => m.RankVsParameters));
export const QuantLab = dynamic(() => import('@/components/widgets/quant-lab/QuantLab').then((m) => m.QuantLab));
