import { create } from 'zustand';
import { generatorPool } from './services';

export interface RealImage {
  id: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
  sha256: string;
  thumbnailUrl: string;
}

interface RealImagesState {
  /** `simulated`: real images generated from the config's hidden real distribution; `user`: the user's own. */
  target: 'simulated' | 'user';
  images: RealImage[];
  rejected: Array<{ name: string; reason: string }>;
  busy: boolean;
  setTarget(target: 'simulated' | 'user'): void;
  addFiles(files: readonly File[]): Promise<void>;
  remove(id: string): void;
  dismissRejected(): void;
}

/** The user's own real defect images: the same checks as base chips (format, size, truncation, duplicates). */
export const useRealImagesStore = create<RealImagesState>((set, get) => ({
  target: 'simulated',
  images: [],
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
      const images = [...get().images];
      const rejected: RealImagesState['rejected'] = [];
      outcomes.forEach((o, i) => {
        if (!o.ok) return void rejected.push({ name: o.name, reason: o.reason });
        const duplicate = images.find((im) => im.sha256 === o.sha256);
        if (duplicate) return void rejected.push({ name: o.name, reason: `a duplicate of ${duplicate.id} (same bytes)` });
        let id = o.name;
        for (let k = 2; images.some((im) => im.id === id); k++) id = o.name.replace(/(\.[^.]*)?$/, ` (${k})$1`);
        images.push({ id, bytes: files[i].bytes, width: o.width, height: o.height, sha256: o.sha256, thumbnailUrl: URL.createObjectURL(o.thumbnail) });
      });
      set({ images, rejected, target: 'user' });
    } finally {
      set({ busy: false });
    }
  },
  remove(id) {
    const gone = get().images.find((im) => im.id === id);
    if (gone) URL.revokeObjectURL(gone.thumbnailUrl);
    set({ images: get().images.filter((im) => im.id !== id) });
  },
  dismissRejected() {
    set({ rejected: [] });
  },
}));
