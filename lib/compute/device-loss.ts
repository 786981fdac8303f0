/**
 * WebGPU device loss (`GPUDevice.lost`): the GPU process crashed or was reset, the driver was
 * updated, the tab was idle on a laptop that switched GPUs, or the page called `device.destroy()`.
 * Every buffer on the device is gone and every later call fails (tfjs reports "mapAsync … Device
 * was lost" or "Instance dropped"). These helpers turn that into one learner-readable sentence;
 * lib/compute/index.ts restarts the backend, the worker reports it to the trainer UI.
 * Source: WebGPU spec §3.4 "Device loss" (https://www.w3.org/TR/webgpu/#device-loss).
 */

/** The fields of a GPUDeviceLostInfo the course reads. `reason` is 'destroyed' or 'unknown'. */
export interface DeviceLostInfo {
  reason?: string;
  message?: string;
}

/** One sentence saying the WebGPU device was lost and why (the browser's message, when it gives one). */
export function deviceLostReason(info: DeviceLostInfo): string {
  const why = info.reason === 'destroyed' ? 'the device was destroyed' : 'the browser or driver reset the GPU';
  const detail = info.message?.trim() ? ` (${info.message.trim().slice(0, 200)})` : '';
  return `The WebGPU device was lost: ${why}${detail}. Everything computed on it is gone.`;
}

/**
 * True when an error message is the symptom of a lost device rather than a bug or a bad input:
 * tfjs's "mapAsync … Device is lost/was lost", Dawn's "Instance dropped", and "GPUDevice was destroyed".
 */
export function isDeviceLostError(message: string): boolean {
  return /device\]? (is |was )?lost|device.{0,20}destroyed|instance dropped|lost device/i.test(message);
}

/** A failure's message for learners: a lost device says so and what to do; anything else is kept. */
export function explainComputeError(message: string): string {
  if (!isDeviceLostError(message)) return message;
  return 'The WebGPU device was lost while computing (the GPU was reset or taken away), so this result could not be finished. Press Restart to start again on a fresh device.';
}
