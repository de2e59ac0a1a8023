import { create } from 'zustand';
import { sameBytes } from './sameBytes';
import { generatorPool } from '../../../../state/wiring';

export interface RealImage {
  id: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
  sha256: string;
  thumbnailUrl: string;
}

type Target = 'simulated' | 'user';

interface RealImagesState {
  /** `simulated`: real images generated from the config's hidden real distribution; `user`: the user's own. */
  target: Target;
  /** The real images the panel lists: with `target`, the real set of the next new experiment. */
  images: RealImage[];
  /**
   * The target and real images stored with an opened experiment (part of its record: never edited here).
   * While `target` and `images` are these, the panel shows the open experiment's real set; a change of
   * target, a drop or a removal makes the real set of the next experiment and leaves this one as it is.
   */
  stored: { experimentId: string; target: Target; images: RealImage[] } | null;
  rejected: Array<{ name: string; reason: string }>;
  busy: boolean;
  setTarget(target: Target): void;
  addFiles(files: readonly File[]): Promise<void>;
  remove(id: string): void;
  dismissRejected(): void;
  /** Shows the target and real images stored with an experiment that was opened. */
  showExperimentImages(experimentId: string, target: Target, records: ReadonlyArray<{ id: string; bytes: ArrayBuffer; width: number; height: number }>): Promise<void>;
  /** Drops the real set made for the next experiment and shows the open experiment's again. */
  restoreStoredImages(): void;
}

/** Whether the panel shows exactly the real set stored with the experiment it was last given. */
export function showsStoredImages(state: Pick<RealImagesState, 'target' | 'images' | 'stored'>): boolean {
  return state.stored !== null && state.target === state.stored.target && state.images === state.stored.images;
}

/** The user's own real defect images: the same checks as base chips (format, size, truncation, duplicates). */
export const useRealImagesStore = create<RealImagesState>((set, get) => {
  /** Counts the opened experiments: an image read that a later open overtook is dropped. */
  let generation = 0;

  /** Frees the thumbnails of images that neither the listed set nor the stored set still shows. */
  const release = (images: readonly RealImage[]) => {
    const { images: listed, stored } = get();
    const live = new Set([...listed, ...(stored?.images ?? [])].map((im) => im.thumbnailUrl));
    images.forEach((im) => live.has(im.thumbnailUrl) || URL.revokeObjectURL(im.thumbnailUrl));
  };

  return {
    target: 'simulated',
    images: [],
    stored: null,
    rejected: [],
    busy: false,
    setTarget(target) {
      set({ target });
    },
    async addFiles(fileList) {
      set({ busy: true });
      try {
        const files = await Promise.all(fileList.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
        const outcomes = await generatorPool().inspectImages(files.map((f) => ({ name: f.name, bytes: f.bytes.slice(0) })));
        // Dropped images add to images dropped before; they replace the open experiment's real set (which
        // stays its record: a drop starts the real set of the next experiment).
        const before = get().images;
        const kept = before === get().stored?.images ? [] : before;
        const images = [...kept];
        const rejected: RealImagesState['rejected'] = [];
        outcomes.forEach((o, i) => {
          if (!o.ok) return void rejected.push({ name: o.name, reason: o.reason });
          const duplicate = images.find((im) => im.sha256 === o.sha256);
          if (duplicate) return void rejected.push({ name: o.name, reason: `a duplicate of ${duplicate.id} (same bytes)` });
          let id = o.name;
          for (let k = 2; images.some((im) => im.id === id); k++) id = o.name.replace(/(\.[^.]*)?$/, ` (${k})$1`);
          images.push({ id, bytes: files[i].bytes, width: o.width, height: o.height, sha256: o.sha256, thumbnailUrl: URL.createObjectURL(o.thumbnail) });
        });
        if (images.length === kept.length) return void set({ rejected });
        set({ images, rejected, target: 'user' });
        release(before);
      } finally {
        set({ busy: false });
      }
    },
    remove(id) {
      const before = get().images;
      // The open experiment's real images are part of its record.
      if (before === get().stored?.images) return;
      set({ images: before.filter((im) => im.id !== id) });
      release(before);
    },
    dismissRejected() {
      set({ rejected: [] });
    },
    async showExperimentImages(experimentId, target, records) {
      const load = ++generation;
      const previous = get().stored;
      const before = get().images;
      // Images already on the page with the same name and bytes are reused (a new experiment's own real
      // images, reopened right after it was made): no second decode, no flicker of the thumbnails.
      const known = [...before, ...(previous?.images ?? [])];
      const reused = records.map((r) => known.find((im) => im.id === r.id && sameBytes(im.bytes, r.bytes)));
      let images: RealImage[];
      if (reused.every((im): im is RealImage => im !== undefined)) {
        images = reused.length === before.length && reused.every((im, i) => im === before[i]) ? before : reused;
      } else {
        // The target shows at once; the images follow when read.
        set({ target, busy: true });
        try {
          const outcomes = await generatorPool().inspectImages(records.map((r) => ({ name: r.id, bytes: r.bytes.slice(0) })));
          images = outcomes.flatMap((o, i) => (o.ok ? [{ id: records[i].id, bytes: records[i].bytes, width: o.width, height: o.height, sha256: o.sha256, thumbnailUrl: URL.createObjectURL(o.thumbnail) }] : []));
        } catch (e) {
          if (load === generation) set({ stored: null, rejected: [{ name: "The open experiment's real images", reason: e instanceof Error ? e.message : String(e) }] });
          return;
        } finally {
          if (load === generation) set({ busy: false });
        }
        if (load !== generation) return images.forEach((im) => URL.revokeObjectURL(im.thumbnailUrl));
      }
      set({ target, images, stored: { experimentId, target, images }, rejected: [] });
      release([...before, ...(previous?.images ?? [])]);
    },
    restoreStoredImages() {
      const { stored, images: before } = get();
      if (!stored) return;
      set({ target: stored.target, images: stored.images, rejected: [] });
      release(before);
    },
  };
});
