import { ArchiveError, CHIPS_DIR, readArchiveContents, imageExtension, REAL_IMAGES_DIR, type ExperimentBundle } from '../../storage/archive';
import type { ArchiveFiles } from './zipReader';
import { domainById } from '../../domains/registry';
import { ImageFileError, readImageHeader } from '../../embedders/images/header';

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', bmp: 'image/bmp', tif: 'image/tiff' };

/** The archive's images: base chips, the user's real images, and each iteration's sample images. */
function isImagePath(path: string): boolean {
  return path.startsWith(`${CHIPS_DIR}/`) || path.startsWith(`${REAL_IMAGES_DIR}/`) || /\/iteration_\d+\/images\/[^/]+$/.test(path);
}

/**
 * Every image of the archive has a complete header of a supported format within the size limit
 * (embedders/images/header.ts, the check the page runs on a dropped image), so a damaged chip is
 * refused at import, naming it, rather than stored and failing the next run.
 */
function checkImages(files: ReadonlyMap<string, Uint8Array>): void {
  for (const [path, bytes] of files) {
    if (!isImagePath(path)) continue;
    try {
      readImageHeader(bytes);
    } catch (e) {
      if (e instanceof ImageFileError) throw new ArchiveError(path, `is not a usable image: ${e.message}`);
      throw e;
    }
  }
}

/** The verified files as records, images as Blobs (what storage and the UI use). */
export function bundleFromFiles({ manifest, files }: ArchiveFiles): ExperimentBundle {
  checkImages(files);
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
