/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import type { ProgressCallback } from './bridge/protocol';
import { exposeWorker, runJob } from './bridge/workerJobs';
import { ImageFileError } from '../embedders/images/header';
import { paintVoids } from '../domains/voids/paint';
import { layoutForImage, toVoidParams } from '../domains/voids/sampleImage';
import { sampleMetadataFor } from '../domains/voids/metadata';
import { decodeImage, encodePngBlob, sha256Hex, thumbnailPng } from './generate/decodeImage';
import type { DecodeOutcome, GenerateOptions, GeneratedImage, GenerationJob, GeneratorWorkerApi, RgbaImage } from './generate/types';

/** The generator worker: owns image decoding (OffscreenCanvas, UTIF) and void painting. */
const chips = new Map<string, RgbaImage>();

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

  registeredChips() {
    return [...chips.keys()];
  },

  async decodeToRgba(name, bytes) {
    try {
      const { image } = await decodeImage(bytes);
      return Comlink.transfer(image, [image.pixels.buffer]);
    } catch (e) {
      throw new Error(`${name}: ${reasonOf(e)}`);
    }
  },

  generate: (list: GenerationJob[], options: GenerateOptions, onProgress?: ProgressCallback) =>
    runJob(options.jobId, 'generation', async (job) => {
      const timestamp = options.timestamp ?? new Date().toISOString();
      const results: GeneratedImage[] = [];
      for (let i = 0; i < list.length; i++) {
        // A yield per 4 images lets a cancel in without paying a timer per image.
        if (i > 0 && i % 4 === 0) await job.checkpoint();
        else job.throwIfAborted();
        results.push(await generateOne(list[i], options.encodePng, timestamp));
        onProgress?.({ done: i + 1, total: list.length, stage: 'generate' });
      }
      return Comlink.transfer(results, results.map((r) => r.pixels.buffer));
    }),

  encodePng(image) {
    return encodePngBlob(image);
  },
};

async function generateOne(job: GenerationJob, encodePng: boolean, timestamp: string): Promise<GeneratedImage> {
  const chip = chips.get(job.base_image_id);
  if (!chip) throw new Error(`base chip "${job.base_image_id}" is not loaded in the generator`);
  const layout = layoutForImage(job.base_image_id, chip, job.params, job.replication_seed, job.position_rule);
  const pixels = new Uint8ClampedArray(chip.pixels); // a copy: the chip stays clean
  paintVoids(pixels, chip.width, chip.height, layout, toVoidParams(job.params).brightness_factor);
  const image: GeneratedImage = {
    metadata: sampleMetadataFor(job, layout, timestamp),
    geometry: layout,
    width: chip.width,
    height: chip.height,
    pixels,
  };
  if (encodePng) image.png = await encodePngBlob({ width: chip.width, height: chip.height, pixels });
  return image;
}

function reasonOf(e: unknown): string {
  if (e instanceof ImageFileError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

exposeWorker(api);
