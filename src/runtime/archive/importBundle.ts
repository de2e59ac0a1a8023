import { readArchiveContents, imageExtension, type ExperimentBundle } from '../../storage/archive';
import type { ArchiveFiles } from './zipReader';
import { domainById } from '../../domains/registry';

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', bmp: 'image/bmp', tif: 'image/tiff' };

/** The verified files as records, images as Blobs (what storage and the UI use). */
export function bundleFromFiles({ manifest, files }: ArchiveFiles): ExperimentBundle {
  const contents = readArchiveContents(manifest, files, (id) => domainById(id)?.configSection);
  files.clear(); // the image bytes live on in the Blobs below; drop the map's references
  return {
    experiment: contents.experiment,
    iterations: contents.iterations,
    chips: contents.chips,
    realImages: contents.realImages,
    tables: contents.tables,
    samples: contents.samples.map(({ image, ...rest }) => ({
      ...rest,
      ...(image ? { png: new Blob([image as BlobPart], { type: IMAGE_TYPES[imageExtension(image)] ?? 'application/octet-stream' }) } : {}),
    })),
  };
}
