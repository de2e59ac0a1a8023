import { createRng, type Rng } from '../../src/engine/random/rng';

/**
 * A grey X-ray-like die (dark mould compound, a brighter die with a multi-octave texture, bond pads along
 * its edges, a few traces, film grain, vignetting) as 8-bit grey samples. Deterministic per seed.
 */
export interface ChipSpec {
  id: string;
  width: number;
  height: number;
  seed: number;
}

export const CHIPS: ChipSpec[] = [
  { id: 'demo_chip_1.png', width: 512, height: 512, seed: 1 },
  { id: 'demo_chip_2.png', width: 512, height: 512, seed: 2 },
  { id: 'demo_chip_3.png', width: 640, height: 512, seed: 3 },
  { id: 'demo_chip_4.png', width: 768, height: 768, seed: 4 },
  { id: 'demo_chip_5.png', width: 1024, height: 1024, seed: 5 },
];

/** Smooth value noise: random values on a grid of `cell` px, smoothstep-interpolated. */
function valueNoise(rng: Rng, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => rng.next() * 2 - 1);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const ty = smoothstep(gy - y0);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const tx = smoothstep(gx - x0);
      const a = grid[y0 * gw + x0];
      const b = grid[y0 * gw + x0 + 1];
      const c = grid[(y0 + 1) * gw + x0];
      const d = grid[(y0 + 1) * gw + x0 + 1];
      out[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
    }
  }
  return out;
}

const smoothstep = (t: number) => t * t * (3 - 2 * t);

export function renderChip(spec: ChipSpec): Uint8Array {
  const { width, height } = spec;
  const rng = createRng(spec.seed);
  const octaves = [
    { cell: 96, weight: 9 },
    { cell: 32, weight: 5 },
    { cell: 9, weight: 3 },
  ].map((o) => ({ ...o, noise: valueNoise(rng.fork(o.cell), width, height, o.cell) }));
  const margin = { x: Math.round(width * rng.uniform(0.09, 0.14)), y: Math.round(height * rng.uniform(0.09, 0.14)) };
  const die = { x0: margin.x, y0: margin.y, x1: width - margin.x, y1: height - margin.y };
  const dieLevel = rng.uniform(168, 188);
  const mouldLevel = rng.uniform(62, 78);
  const padSize = Math.max(6, Math.round(Math.min(width, height) * 0.022));
  const padPitch = padSize * 2.6;
  const grain = rng.fork('grain');
  const traces = Array.from({ length: 4 }, () => ({ horizontal: rng.next() < 0.5, at: rng.uniform(0.25, 0.75), width: rng.uniform(1.5, 3) }));

  const out = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      // Soft die edge (1.5 px ramp) so the outline is not aliased.
      const inside = Math.min(x - die.x0, die.x1 - x, y - die.y0, die.y1 - y);
      const t = Math.min(1, Math.max(0, inside / 1.5 + 0.5));
      let v = mouldLevel * (1 - t) + dieLevel * t;
      let texture = 0;
      for (const o of octaves) texture += o.weight * o.noise[i];
      v += texture * (0.35 + 0.65 * t);
      // Bond pads: bright squares on a pitch just inside the die edge.
      const band = padSize * 1.6;
      const nearEdgeX = x - die.x0 < band || die.x1 - x < band;
      const nearEdgeY = y - die.y0 < band || die.y1 - y < band;
      if (inside > padSize * 0.4 && (nearEdgeX || nearEdgeY)) {
        const along = nearEdgeX && !nearEdgeY ? y : x;
        const phase = along % padPitch;
        const across = nearEdgeX && !nearEdgeY ? Math.min(x - die.x0, die.x1 - x) : Math.min(y - die.y0, die.y1 - y);
        if (phase < padSize && across > padSize * 0.4 && across < padSize * 1.4) v += 42;
      }
      // Metal traces: faint straight lines across the die.
      for (const tr of traces) {
        const pos = tr.horizontal ? y - (die.y0 + tr.at * (die.y1 - die.y0)) : x - (die.x0 + tr.at * (die.x1 - die.x0));
        if (t > 0.5 && Math.abs(pos) < tr.width) v += 14;
      }
      // Vignetting of the X-ray source and film grain.
      const r2 = ((x - cx) / width) ** 2 + ((y - cy) / height) ** 2;
      v *= 1 - 0.35 * r2;
      v += grain.normal(0, 2.2);
      out[i] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

