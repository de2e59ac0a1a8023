import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { encodeNpy } from '../../../src/storage/archive/npy';
import { folderDigest, run } from '../../helpers/cli';

/**
 * `calibrate space STUDY --space NEW.yaml` on a study folder: the edits it makes, the warnings it
 * prints, and the refusals (exit 2, the study byte for byte as it was). The client's generator is a
 * fixed nonlinear map of the parameters to 12 values plus noise, as in calibrate.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'lcs-cli-space-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PARAMS = {
  brightness: '{name: brightness, type: float, low: 0.3, high: 0.8}',
  count: '{name: count, type: int, low: 3, high: 20}',
  shape: '{name: shape, type: categorical, choices: [circle, ellipse, irregular]}',
};
const spaceText = (...params: string[]) => `parameters:\n${params.map((p) => `  - ${p}\n`).join('')}`;
const D = 12;

function simulate(params: Record<string, string>, seed: number): number[] {
  const rng = createRng(hashSeed('cli-client', seed));
  const b = Number(params.brightness);
  const c = Number(params.count) / 20;
  const s = ['circle', 'ellipse', 'irregular'].indexOf(params.shape);
  return Array.from({ length: D }, (_, j) => Math.tanh((j + 1) * b - c * (j % 3)) + (j === s ? 0.5 : 0) + rng.normal(0, 0.05));
}

/** Writes the client's results for the asked CSV (parameter cells left empty): SAMPLES.csv and EMB.npy. */
function evaluate(askedCsv: string, name: string, replicates = 3): { samples: string; embeddings: string } {
  const [header, ...lines] = askedCsv.trim().split('\n');
  const names = header.split(',');
  const rows: string[] = [['sample_id', ...names].join(',')];
  const vectors: number[] = [];
  lines.forEach((line, i) => {
    const params = Object.fromEntries(names.map((n, k) => [n, line.split(',')[k]]));
    for (let r = 0; r < replicates; r++) {
      rows.push([`${name}_${params.param_set_id}_${r}`, params.param_set_id, ...names.slice(1).map(() => '')].join(','));
      vectors.push(...simulate(params, i * 10 + r));
    }
  });
  const samples = join(dir, `${name}.csv`);
  const embeddings = join(dir, `${name}.npy`);
  writeFileSync(samples, `${rows.join('\n')}\n`);
  writeFileSync(embeddings, encodeNpy(Float32Array.from(vectors), [vectors.length / D, D]));
  return { samples, embeddings };
}

const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

/** A study with its initial design (4 sets) told; `ask` then leaves a model-based batch pending. */
async function setUpStudy(name: string): Promise<{ study: string; initial: string }> {
  const space = write('space.yaml', spaceText(PARAMS.brightness, PARAMS.count, PARAMS.shape));
  const real = Array.from({ length: 16 }, (_, i) => simulate({ brightness: '0.6', count: '8', shape: 'ellipse' }, 1000 + i)).flat();
  writeFileSync(join(dir, 'real.npy'), encodeNpy(Float32Array.from(real), [16, D]));
  const study = join(dir, name);
  expect((await run('init', study, '--space', space, '--real', join(dir, 'real.npy'), '--batch', '2', '--seed', '3')).code).toBe(0);
  const initial = (await run('ask', study)).out;
  const told = evaluate(initial, `${name}-r0`);
  expect((await run('tell', study, '--samples', told.samples, '--embeddings', told.embeddings)).code).toBe(0);
  return { study, initial };
}

describe('npm run calibrate -- space: editing a running study\'s space', () => {
  it('widens, narrows (warning per set now attached) and adds a parameter with its value; ask and tell carry on', async () => {
    const { study, initial } = await setUpStudy('space-a');
    const wide = write('wide.yaml', spaceText('{name: brightness, type: float, low: 0.1, high: 1.2}', PARAMS.count, PARAMS.shape));
    const widened = await run('space', study, '--space', wide);
    expect(widened).toMatchObject({ code: 0, out: '' });
    expect(widened.err).toBe(`calibrate: space of ${study} updated (3 parameters)\n`);

    const brightness = initial.trim().split('\n').slice(1).map((l) => [l.split(',')[0], Number(l.split(',')[1])] as const);
    const outside = brightness.filter(([, b]) => b > 0.55).map(([id]) => id);
    expect(outside.length).toBeGreaterThan(0);
    const narrow = write('narrow.yaml', spaceText('{name: brightness, type: float, low: 0.1, high: 0.55}', PARAMS.count, PARAMS.shape));
    const narrowed = await run('space', study, '--space', narrow);
    expect(narrowed.code).toBe(0);
    const warnings = narrowed.err.split('\n').filter((l) => l.startsWith('calibrate: warning: '));
    expect(warnings).toHaveLength(outside.length);
    outside.forEach((id, i) => expect(warnings[i]).toMatch(new RegExp(`^calibrate: warning: ${id}: brightness [0-9.]+ is outside \\[0\\.1, 0\\.55\\], outside the new space \\(kept as an attached observation\\)$`)));
    expect(narrowed.err).toContain(`${outside.length} set(s) now attached (${outside.join(', ')})`);

    const added = write('added.yaml', spaceText('{name: gamma, type: float, low: 0, high: 1, value: 0.25}', '{name: brightness, type: float, low: 0.1, high: 0.55}', PARAMS.count, PARAMS.shape));
    const withGamma = await run('space', study, '--space', added);
    expect(withGamma.code).toBe(0);
    expect(withGamma.err).toBe(`calibrate: space of ${study} updated (4 parameters, added gamma)\n`); // sets left out before are not reported again
    const asked = await run('ask', study, '--n', '2');
    expect(asked.code).toBe(0);
    const lines = asked.out.trim().split('\n');
    expect(lines[0]).toBe('param_set_id,gamma,brightness,count,shape');
    for (const line of lines.slice(1)) expect(Number(line.split(',')[2])).toBeLessThanOrEqual(0.55);
    const told = evaluate(asked.out, 'space-a-r1');
    expect((await run('tell', study, '--samples', told.samples, '--embeddings', told.embeddings)).code).toBe(0);
    const status = JSON.parse((await run('status', study, '--json')).out) as { best: { params: Record<string, unknown> }; pending: string[] };
    expect(Object.keys(status.best.params)).toEqual(['gamma', 'brightness', 'count', 'shape']);
    expect(status.pending).toEqual([]);
  }, 120_000);

  it('refuses removing, renaming or retyping a parameter, a bad value and a pending set left outside, with exit 2 and the study byte for byte unchanged', async () => {
    const { study } = await setUpStudy('space-b');
    const pending = (await run('ask', study)).out.trim().split('\n').slice(1).map((l) => l.split(','));
    const fixedAt = Number(pending[0][1]) === 0.3 ? 0.8 : 0.3;
    const before = folderDigest(study);
    const cases: Array<[string, string, RegExp]> = [
      ['removed.yaml', spaceText(PARAMS.brightness, PARAMS.shape), /removed\.yaml, parameter count: a parameter cannot be removed from a study; keep it, or fix it at one value/],
      ['renamed.yaml', spaceText('{name: lightness, type: float, low: 0.3, high: 0.8, value: 0.5}', PARAMS.count, PARAMS.shape), /renamed\.yaml, parameter brightness: a parameter cannot be removed .*lightness is new/],
      ['retyped.yaml', spaceText(PARAMS.brightness, '{name: count, type: float, low: 3, high: 20}', PARAMS.shape), /retyped\.yaml, parameter count: a parameter cannot change its type \(int in the study, float here\)/],
      ['novalue.yaml', spaceText(PARAMS.brightness, PARAMS.count, PARAMS.shape, '{name: gamma, type: float, low: 0, high: 1}'), /novalue\.yaml, parameter gamma: a new parameter needs "value"/],
      ['oldvalue.yaml', spaceText(PARAMS.brightness, '{name: count, type: int, low: 3, high: 20, value: 5}', PARAMS.shape), /oldvalue\.yaml, parameter count: "value" is only for a parameter new to the study/],
      ['badvalue.yaml', spaceText(PARAMS.brightness, PARAMS.count, PARAMS.shape, '{name: gamma, type: int, low: 0, high: 4, value: 7}'), /badvalue\.yaml, parameter gamma: "value" \(7\) is outside \[0, 4\]/],
      ['badchoice.yaml', spaceText(PARAMS.brightness, PARAMS.count, PARAMS.shape, '{name: tone, type: categorical, choices: [warm, cold], value: hot}'), /badchoice\.yaml, parameter tone: "value" must be one of the choices \(warm, cold\)/],
      // Fixing brightness at a value the first pending set does not have leaves that set outside.
      ['pending.yaml', spaceText(`{name: brightness, type: float, low: ${fixedAt}, high: ${fixedAt}}`, PARAMS.count, PARAMS.shape), /pending\.yaml, parameter brightness: pending set ps_\d{3} would fall outside the new space \(brightness [0-9.e-]+ is outside \[0\.\d, 0\.\d\]\); abandon it first \(calibrate abandon STUDY ps_\d{3}\)/],
      ['broken.yaml', 'parameters: [', /broken\.yaml/],
    ];
    for (const [name, text, message] of cases) {
      const result = await run('space', study, '--space', write(name, text));
      expect(result.code, name).toBe(2);
      expect(result.err, name).toMatch(message);
      expect(result.out).toBe('');
      expect(folderDigest(study), name).toEqual(before);
    }
    expect((await run('space', study)).code).toBe(2); // --space is required
    expect(folderDigest(study)).toEqual(before);
    // Abandoning the pending sets the new space leaves out lets the edit through.
    expect((await run('abandon', study, ...pending.map((p) => p[0]))).code).toBe(0);
    expect((await run('space', study, '--space', join(dir, 'pending.yaml'))).code).toBe(0);
  }, 120_000);

  it('reads "value" only in a space edit: a new study\'s space file refuses it, and may not fix a parameter', async () => {
    const real = join(dir, 'real.npy');
    writeFileSync(real, encodeNpy(Float32Array.from(Array.from({ length: 4 * D }, (_, i) => Math.sin(i))), [4, D]));
    const withValue = await run('init', join(dir, 'space-c'), '--space', write('init-value.yaml', spaceText('{name: gamma, type: float, low: 0, high: 1, value: 0.5}')), '--real', real);
    expect(withValue.code).toBe(2);
    expect(withValue.err).toMatch(/init-value\.yaml, parameter gamma: unknown key "value" for type float/);
    const fixed = await run('init', join(dir, 'space-d'), '--space', write('init-fixed.yaml', spaceText('{name: gamma, type: float, low: 0.5, high: 0.5}')), '--real', real);
    expect(fixed.code).toBe(2);
    expect(fixed.err).toMatch(/low \(0\.5\) must be less than high \(0\.5\)/);
  });
});
