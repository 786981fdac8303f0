import type { Metadata } from 'next';
import Link from 'next/link';
import { CheckComputer } from '@/components/widgets/check/CheckComputer';

export const metadata: Metadata = {
  title: 'Check this computer',
  description: 'Times a QLoRA training step on this device and says whether the course’s slow demos run live on it.',
};

export default function CheckPage() {
  return (
    <div className="column">
      <h1>Check this computer</h1>
      <p>
        Before a class, find out whether this computer runs the course&rsquo;s heavy demos live. The slowest is the QLoRA
        loop: this page times a few of its training steps here, on the backend the header shows, and says how long the
        lesson&rsquo;s run would take. Switch the backend in the header and time it again to compare: on a computer
        without a graphics card, the browser&rsquo;s WebGPU may run in software, on the CPU.
      </p>
      <h2>The QLoRA loop</h2>
      <CheckComputer />
      <h2>More checks</h2>
      <ul className="check-links">
        <li><Link href="/gpu/">Check your GPU</Link>: every kernel against its plain TypeScript twin.</li>
        <li><Link href="/bench/">Benchmarks</Link>: the quantization lab&rsquo;s kernels timed against tfjs ops and the CPU.</li>
      </ul>
    </div>
  );
}
