// Harness: exposes the real archive worker (through its client) and storage to page.evaluate.
import type { ExperimentBundle } from '../../../src/storage/archive';
import { openExperimentDb } from '../../../src/storage/experimentDb';
import { createArchiveClient } from '../../../src/runtime/archiveClient';
import { base64ToBytes, bytesToBase64, fixtureBundle, recordsDigest, samplesOf } from './experimentRecords';

const archive = createArchiveClient();

/** Exports a bundle iteration by iteration, the way the state layer does from storage. */
async function exportBundle(bundle: ExperimentBundle, options: { signal?: AbortSignal } = {}): Promise<Blob> {
  const numbers = [...new Set([...bundle.iterations.map((r) => r.iteration), ...bundle.samples.map((s) => s.iteration)])].sort((a, b) => a - b);
  const progress: number[] = [];
  const session = await archive.beginExport(
    { experiment: bundle.experiment, chips: bundle.chips, realImages: bundle.realImages },
    { signal: options.signal, iterationCount: numbers.length, onProgress: (p) => progress.push(p.done) },
  );
  for (const n of numbers) {
    await session.addIteration(
      n,
      bundle.iterations.find((r) => r.iteration === n),
      samplesOf(bundle, n),
    );
  }
  const blob = await session.finish();
  if (progress.join(',') !== numbers.map((_, i) => i + 1).join(',')) throw new Error(`export progress was ${progress.join(',')}`);
  return blob;
}

async function blobToBase64(blob: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}

/** Imports base64 ZIP bytes; returns the bundle or the error's name and message. */
async function importBase64(text: string, name = 'test.zip', maxTotalBytes?: number): Promise<{ ok: true; bundle: ExperimentBundle } | { ok: false; name: string; message: string; file: string | null }> {
  try {
    const bundle = await archive.importArchive(new File([base64ToBytes(text) as BlobPart], name, { type: 'application/zip' }), { maxTotalBytes });
    return { ok: true, bundle };
  } catch (e) {
    const error = e as Error & { file?: string | null };
    return { ok: false, name: error.name, message: error.message, file: error.file ?? null };
  }
}

Object.assign(window, { archive, exportBundle, blobToBase64, importBase64, fixtureBundle, samplesOf, recordsDigest, openExperimentDb, harnessReady: true });
