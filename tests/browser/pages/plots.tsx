// Harness: every plot and result component of the run page, fed with the fixture of tests/fixtures/plots.ts
// through the same adapters the app uses. Thumbnails are painted here (void-like dark blobs on a grey
// chip) so the gallery and the hover card show real PNG Blobs.
import { StrictMode, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../../src/ui/styles.css';
import {
  bestParamSetId,
  ConvergencePlot,
  convergenceFromRecords,
  evolutionColumnsFromRecords,
  fixedRanges,
  LatentMap,
  latentPointsFromRecords,
  ParameterEvolution,
  ParameterRelevance,
  projectionAxisLabels,
  sampleViewsFromRecords,
} from '../../../src/ui/plots';
import { BestTable, IterationGallery, MetricsTable, NextBatchTable, RecoveryTable } from '../../../src/ui/results';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { buildPlotsFixture, type FixtureSample } from '../../fixtures/plots';

const fixture = buildPlotsFixture();

async function paint(sample: FixtureSample): Promise<Blob> {
  const size = 128;
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d')!;
  const rng = createRng(hashSeed(sample.sample_id));
  const grad = ctx.createLinearGradient(0, 0, size, size);
  grad.addColorStop(0, '#a9a9a9');
  grad.addColorStop(1, '#8c8c8c');
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, size, size);
  for (let i = 0; i < 500; i++) {
    const g = 120 + Math.floor(rng.uniform(0, 60));
    ctx.fillStyle = `rgb(${g},${g},${g})`;
    ctx.fillRect(rng.uniform(0, size), rng.uniform(0, size), 1.5, 1.5);
  }
  const p = sample.metadata.params as Record<string, number | string>;
  const count = Number(p.void_count ?? 8);
  const base = (Number(p.base_size ?? 20) * size) / 256;
  const bright = Number(p.brightness_factor ?? 0.6);
  const spread = Number(p.position_spread ?? 0.5);
  ctx.filter = 'blur(1px)';
  for (let i = 0; i < count; i++) {
    const r = Math.max(1.5, base + rng.normal(0, Number(p.size_std ?? 5) * 0.4));
    const cx = size / 2 + (rng.next() - 0.5) * spread * size;
    const cy = size / 2 + (rng.next() - 0.5) * spread * size;
    const g = Math.round(150 * bright);
    ctx.fillStyle = `rgb(${g},${g},${g})`;
    ctx.beginPath();
    const squash = p.void_shape === 'ellipse' ? 0.6 : p.void_shape === 'irregular' ? 0.8 : 1;
    ctx.ellipse(cx, cy, r, r * squash, rng.uniform(0, Math.PI), 0, 2 * Math.PI);
    ctx.fill();
  }
  return canvas.convertToBlob({ type: 'image/png' });
}

function Harness({ images }: { images: Map<string, Blob> }) {
  const { iterations, samples, space, projection, hidden, recovery } = fixture;
  const withPng = useMemo(() => samples.map((s) => ({ ...s, png: images.get(s.sample_id) })), [images, samples]);
  // The map asks for thumbnails on hover (no Blobs on the points); the gallery gets the Blobs.
  const points = useMemo(() => latentPointsFromRecords(samples, iterations, false), [samples, iterations]);
  // window.switchMapExperiment() stands for opening another experiment: other fixed axes (a wider view).
  const [otherExperiment, setOtherExperiment] = useState(false);
  useEffect(() => {
    Object.assign(window, { switchMapExperiment: () => setOtherExperiment((v) => !v) });
  }, []);
  const ranges = useMemo(() => {
    const r = fixedRanges(points);
    const widen = ([lo, hi]: [number, number]): [number, number] => [lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)];
    return otherExperiment ? { x: widen(r.x), y: widen(r.y) } : r;
  }, [points, otherExperiment]);
  const labels = useMemo(() => projectionAxisLabels(projection), [projection]);
  const best = useMemo(() => bestParamSetId(iterations), [iterations]);
  const convergence = useMemo(() => convergenceFromRecords(iterations), [iterations]);
  const columns = useMemo(() => evolutionColumnsFromRecords(iterations), [iterations]);
  const views = useMemo(() => sampleViewsFromRecords(withPng, iterations), [withPng, iterations]);
  const latest = iterations[iterations.length - 1];
  const proposal = latest.proposal!;
  // A point opened on the map (click or Enter) is revealed in the gallery, as in the app's results view;
  // window.openedSamples records the ids for the test.
  const [reveal, setReveal] = useState<{ sampleId: string } | null>(null);
  const openSample = useCallback((sampleId: string) => {
    const w = window as unknown as { openedSamples?: string[] };
    (w.openedSamples ??= []).push(sampleId);
    setReveal({ sampleId });
  }, []);
  const loadThumbnail = useMemo(() => (id: string) => new Promise<Blob | undefined>((resolve) => setTimeout(() => resolve(images.get(id)), 30)), [images]);

  return (
    <div className="layout" style={{ gridTemplateColumns: 'minmax(0, 1fr)', maxWidth: 1100 }}>
      <main className="main">
        <section className="panel" id="panel-map">
          <LatentMap points={points} bestParamSetId={best} axisLabels={labels} ranges={ranges} loadThumbnail={loadThumbnail} onSelectSample={openSample} />
        </section>
        <section className="panel" id="panel-convergence">
          <ConvergencePlot rows={convergence.rows} floors={convergence.floors} />
        </section>
        <section className="panel" id="panel-narrow" style={{ width: 520 }} aria-label="Convergence in half a column">
          <ConvergencePlot rows={convergence.rows} floors={convergence.floors} threshold={0.05} />
        </section>
        <section className="panel" id="panel-evolution">
          <ParameterEvolution space={space} columns={columns} best={proposal.current_best[0].params} truth={hidden.map((h) => h.params)} />
        </section>
        <section className="panel" id="panel-relevance">
          <ParameterRelevance relevance={proposal.diagnostics.relevance} leaveOneOut={proposal.diagnostics.leaveOneOut} warnings={proposal.diagnostics.warnings} observationCount={40} />
        </section>
        <section className="panel" id="panel-best">
          <BestTable best={proposal.current_best} space={space} floor={convergence.floors.parameterSet} />
        </section>
        <section className="panel" id="panel-next">
          <NextBatchTable proposals={proposal.next_params} strategy="ucb" space={space} iteration={latest.iteration + 1} beta={proposal.diagnostics.beta} />
        </section>
        <section className="panel" id="panel-next-mixed">
          <NextBatchTable
            proposals={proposal.next_params.map((p, i) => ({ ...p, acquisition: i % 2 === 1 ? 'ei' : 'ucb' }))}
            strategy="ucb"
            space={space}
            title="Next batch (a UCB and EI portfolio)"
          />
        </section>
        <section className="panel" id="panel-metrics">
          <MetricsTable scores={latest.scores!} iteration={latest.iteration} />
        </section>
        <section className="panel" id="panel-recovery">
          <RecoveryTable target="simulated" recovery={recovery} />
        </section>
        <section className="panel" id="panel-recovery-user">
          <RecoveryTable target="user" recovery={null} />
        </section>
        <section className="panel" id="panel-gallery">
          <IterationGallery samples={views} reveal={reveal} />
        </section>
      </main>
    </div>
  );
}

/** Every component with no data yet (a fresh experiment): nothing may throw, each says what is missing. */
function EmptyHarness() {
  const { space } = fixture;
  return (
    <div className="layout" style={{ gridTemplateColumns: 'minmax(0, 1fr)', maxWidth: 1100 }}>
      <main className="main">
        <section className="panel">
          <LatentMap points={[]} bestParamSetId={null} axisLabels={projectionAxisLabels(null)} ranges={fixedRanges([])} />
        </section>
        <section className="panel">
          <ConvergencePlot rows={[]} floors={{}} />
        </section>
        <section className="panel">
          <ParameterEvolution space={space} columns={[]} />
        </section>
        <section className="panel">
          <ParameterRelevance relevance={[]} leaveOneOut={null} />
        </section>
        <section className="panel">
          <BestTable best={[]} />
          <NextBatchTable proposals={[]} />
          <RecoveryTable target="simulated" recovery={null} />
          <IterationGallery samples={[]} />
        </section>
      </main>
    </div>
  );
}

async function main() {
  if (new URLSearchParams(location.search).get('case') === 'empty') {
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <EmptyHarness />
      </StrictMode>,
    );
    Object.assign(window, { harnessReady: true });
    return;
  }
  const images = new Map<string, Blob>();
  await Promise.all(fixture.samples.map(async (s) => images.set(s.sample_id, await paint(s))));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Harness images={images} />
    </StrictMode>,
  );
  const bestId = bestParamSetId(fixture.iterations);
  const bestIteration = fixture.samples.find((s) => s.metadata.param_set_id === bestId)?.iteration;
  // The map's points in data coordinates: the tests find where a point is drawn from them (the canvas has no DOM per point).
  const mapPoints = latentPointsFromRecords(fixture.samples, fixture.iterations, false).map(({ sample_id, param_set_id, dataset_type, iteration, x, y }) => ({ sample_id, param_set_id, dataset_type, iteration, x, y }));
  Object.assign(window, { fixtureCounts: fixture.counts, bestId, bestIteration, mapPoints, harnessReady: true });
}

void main();
