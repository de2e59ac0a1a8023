/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import type { ProgressCallback } from './bridge/protocol';
import { exposeWorker, runJob } from './bridge/workerJobs';
import { ImageFileError } from '../embedders/images/header';
import { DOMAINS } from '../domains/registry';
import type { Domain, DomainJob } from '../engine/domain';
import { decodeImage, encodePngBlob, sha256Hex, thumbnailPng } from './generate/decodeImage';
import { prepareModelInput } from '../embedders/preprocess';
import type { DecodeOutcome, GenerateOptions, GeneratorWorkerApi, HostedSample, RgbaImage } from './generate/types';

/**
 * The generator worker: owns image decoding (OffscreenCanvas, UTIF) and runs a domain's generator on
 * the decoded inputs it holds (the void domain's base chips), encoding image samples as PNG.
 */
const chips = new Map<string, RgbaImage>();
const domains = new Map<string, Domain>(DOMAINS.map((d) => [d.id, d]));

const api: GeneratorWorkerApi = {
  async inspectImages(files) {
    const out: DecodeOutcome[] = [];
    for (const file of files) {
      try {
        const { header, image, bitDepth } = await decodeImage(file.bytes);
        out.push({
          ok: true,
          name: file.name,
          format: header.format,
          width: image.width,
          height: image.height,
          bitDepth,
          sha256: await sha256Hex(file.bytes),
          thumbnail: await thumbnailPng(image),
        });
      } catch (e) {
        out.push({ ok: false, name: file.name, reason: reasonOf(e) });
      }
    }
    return out;
  },

  async registerChip(id, bytes) {
    const { image } = await decodeImage(bytes);
    chips.set(id, image);
    return { width: image.width, height: image.height };
  },

  unregisterChip(id) {
    chips.delete(id);
  },

  async decodeToRgba(name, bytes) {
    try {
      const { image } = await decodeImage(bytes);
      return Comlink.transfer(image, [image.pixels.buffer]);
    } catch (e) {
      throw new Error(`${name}: ${reasonOf(e)}`);
    }
  },

  generate: (domainId: string, list: DomainJob[], options: GenerateOptions, onProgress?: ProgressCallback) =>
    runJob(options.jobId, 'generation', async (job) => {
      const domain = domains.get(domainId);
      if (!domain?.generate) throw new Error(`the generator worker has no generator for the domain "${domainId}"`);
      const timestamp = options.timestamp ?? new Date().toISOString();
      const config = options.config ?? domain.defaultConfig();
      const input = (id: string) => {
        const chip = chips.get(id);
        if (!chip) throw new Error(`base chip "${id}" is not loaded in the generator`);
        return chip;
      };
      const results: HostedSample[] = [];
      for (let i = 0; i < list.length; i++) {
        // A yield per 4 samples lets a cancel in without paying a timer per sample.
        if (i > 0 && i % 4 === 0) await job.checkpoint();
        else job.throwIfAborted();
        const made = domain.generate(list[i], { config, input });
        const sample: HostedSample = { ...made, metadata: { ...made.metadata, timestamp } };
        if (made.image && options.encodePng) sample.png = await encodePngBlob(made.image);
        if (made.image && options.prepareFor) sample.image = { ...made.image, prepared: prepareModelInput(made.image, options.prepareFor) };
        results.push(sample);
        onProgress?.({ done: i + 1, total: list.length, stage: 'generate' });
      }
      const buffers = results.flatMap((r) => [r.image?.pixels.buffer, r.image?.prepared?.data.buffer, r.vector?.buffer]);
      return Comlink.transfer(results, buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
    }),

  encodePng(image) {
    return encodePngBlob(image);
  },
};

function reasonOf(e: unknown): string {
  if (e instanceof ImageFileError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

exposeWorker(api);
