import { ScrollRegion } from '@/components/ui/ScrollRegion';
import type { CalibrationSizeSnapshot } from '@/lib/model/calibration-sizes';

const ppl = (v: number) => v.toFixed(4);
const kl = (v: number) => v.toPrecision(3);

/** One row per calibration size: GPTQ's held-out scores beside round-to-nearest's (the same in every row: it reads no calibration). */
export function SizeTable({ s }: { s: CalibrationSizeSnapshot }) {
  const rtn = s.rtn;
  return (
    <ScrollRegion label="GPTQ’s held-out scores by calibration size">
      <table className="compact-table" data-testid="calibration-results">
        <thead>
          <tr>
            <th scope="col">Calibration text</th>
            <th scope="col">GPTQ perplexity</th>
            <th scope="col">GPTQ KL from FP32</th>
            <th scope="col">GPTQ top-1 agreement</th>
            <th scope="col">RTN perplexity</th>
            <th scope="col">RTN KL from FP32</th>
          </tr>
        </thead>
        <tbody>
          {s.rows.map((r) => (
            <tr key={r.windows} data-windows={r.windows} data-characters={r.characters} data-perplexity={r.perplexity} data-kl={r.kl} data-rtn-perplexity={rtn?.perplexity} data-rtn-kl={rtn?.kl}>
              <th scope="row">{r.characters.toLocaleString('en-US')} chars ({r.windows} window{r.windows === 1 ? '' : 's'})</th>
              <td>{ppl(r.perplexity)}</td>
              <td>{kl(r.kl)}</td>
              <td>{(100 * r.top1).toFixed(1)}%</td>
              <td>{rtn ? ppl(rtn.perplexity) : '—'}</td>
              <td>{rtn ? kl(rtn.kl) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
