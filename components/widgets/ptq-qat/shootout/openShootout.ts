import { getCompute } from '@/lib/compute';
import { fetchFile } from '@/lib/io/fetch-file';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { ShootoutEngine, SHOOTOUT_CALIBRATION_WINDOWS } from '@/lib/train/shootout';
import { createShootoutPtq } from '@/lib/train/shootout-ptq';
import { sharedCalibration } from '@/components/widgets/gptq-awq/calibration';
import { workerQuantize } from '@/components/widgets/gptq-awq/workerQuantize';
import { openTrainerChannel } from '@/components/widgets/qlora/useTrainerChannel';

const text = (name: string) => async () => (await fetchFile(`${TINY_MODEL_URL}/${name}`)).text();

/**
 * The shoot-out engine (lib/train/shootout) on its own channel of the page's training worker, its PTQ
 * side scored in the page with the lesson's shared calibration capture. QAT trains on the training
 * split's calibration text and is scored on the held-out text, as the PTQ models are.
 */
export function openShootout() {
  const channel = openTrainerChannel();
  const worker = workerQuantize(() => {});
  const heldout = text('heldout.txt');
  const calibrationText = text('calibration.txt');
  const engine = new ShootoutEngine({
    channel,
    ptq: createShootoutPtq({ compute: getCompute, calibration: () => sharedCalibration(SHOOTOUT_CALIBRATION_WINDOWS), heldoutText: heldout, cpuQuantize: worker.quantize }),
    texts: async () => {
      const [train, held] = await Promise.all([calibrationText(), heldout()]);
      return { train, heldout: held };
    },
    now: () => performance.now(),
  });
  return { channel, engine, dispose: () => { engine.dispose(); channel.dispose(); worker.dispose(); } };
}
