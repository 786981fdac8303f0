'use client';

import dynamic from 'next/dynamic';

/**
 * The widgets lessons place, each loaded by next/dynamic: rendered on the server as before, its
 * code in a chunk that a page preloads only when its lesson renders the widget. All lessons share
 * one route (app/lessons/[slug]/page.tsx), and the bundler gives a route one first-load bundle
 * with every client component its pages could render; through these wrappers that bundle holds
 * only the wrappers, and each page still loads just its own lesson's widgets (`npm run
 * check:bundle` counts the preloaded chunks too). Widgets that appear together are loaded
 * together from one group module (widget-groups/), so the code they share is loaded once. A
 * lesson imports its widgets from here; a new widget gets a line here (and in its group).
 * Each import() is written inside its dynamic() call: that is how Next finds the chunk to preload.
 */

export const ActivationHeatmap = dynamic(() => import('./widget-groups/activations').then((m) => m.ActivationHeatmap));
export const Int8Decomposition = dynamic(() => import('./widget-groups/activations').then((m) => m.Int8Decomposition));
export const SchemeComparison = dynamic(() => import('./widget-groups/activations').then((m) => m.SchemeComparison));
export const SmoothingAlpha = dynamic(() => import('./widget-groups/activations').then((m) => m.SmoothingAlpha));
export const AwqCurve = dynamic(() => import('./widget-groups/gptq-awq').then((m) => m.AwqCurve));
export const GptqStepper = dynamic(() => import('./widget-groups/gptq-awq').then((m) => m.GptqStepper));
export const MethodsTable = dynamic(() => import('./widget-groups/gptq-awq').then((m) => m.MethodsTable));
export const AllFormats = dynamic(() => import('./widget-groups/number-formats').then((m) => m.AllFormats));
export const BitExplorer = dynamic(() => import('./widget-groups/number-formats').then((m) => m.BitExplorer));
export const IntegerBits = dynamic(() => import('./widget-groups/number-formats').then((m) => m.IntegerBits));
export const NumberLine = dynamic(() => import('./widget-groups/number-formats').then((m) => m.NumberLine));
export const BlocksAndAbsmax = dynamic(() => import('./widget-groups/four-bit').then((m) => m.BlocksAndAbsmax));
export const DoubleQuantization = dynamic(() => import('./widget-groups/four-bit').then((m) => m.DoubleQuantization));
export const FormatShootout = dynamic(() => import('./widget-groups/four-bit').then((m) => m.FormatShootout));
export const GgufBlockInspector = dynamic(() => import('./widget-groups/four-bit').then((m) => m.GgufBlockInspector));
export const WhyNormalFloat = dynamic(() => import('./widget-groups/four-bit').then((m) => m.WhyNormalFloat));
export const CalibrationSize = dynamic(() => import('./widget-groups/ptq-qat').then((m) => m.CalibrationSize));
export const LoftqStart = dynamic(() => import('./widget-groups/ptq-qat').then((m) => m.LoftqStart));
export const QatShootout = dynamic(() => import('./widget-groups/ptq-qat').then((m) => m.QatShootout));
export const SteExplorer = dynamic(() => import('./widget-groups/ptq-qat').then((m) => m.SteExplorer));
export const LowRankSpectrum = dynamic(() => import('./widget-groups/lora').then((m) => m.LowRankSpectrum));
export const RankVsParameters = dynamic(() => import('./widget-groups/lora').then((m) => m.RankVsParameters));
export const FineTuneComparison = dynamic(() => import('./widget-groups/qlora').then((m) => m.FineTuneComparison));
export const QloraTrainer = dynamic(() => import('./widget-groups/qlora').then((m) => m.QloraTrainer));
export const AdapterServing = dynamic(() => import('./widget-groups/serving').then((m) => m.AdapterServing));
export const KvCacheVsWeights = dynamic(() => import('./widget-groups/serving').then((m) => m.KvCacheVsWeights));
export const KvQuantQuality = dynamic(() => import('./widget-groups/serving').then((m) => m.KvQuantQuality));
export const PagedAllocation = dynamic(() => import('./widget-groups/serving').then((m) => m.PagedAllocation));
export const Roofline = dynamic(() => import('./widget-groups/serving').then((m) => m.Roofline));
export const GpuInt8Check = dynamic(() => import('./widget-groups/why-quantize').then((m) => m.GpuInt8Check));
export const ModelMemory = dynamic(() => import('./widget-groups/why-quantize').then((m) => m.ModelMemory));
export const QuantLab = dynamic(() => import('@/components/widgets/quant-lab/QuantLab').then((m) => m.QuantLab));
