import { create } from 'zustand';
import { generatorPool } from './services';

export interface BaseChip {
  /** The base_image_id recorded in metadata: the file name (made unique with a suffix if needed). */
  id: string;
  source: 'demo' | 'user';
  width: number;
  height: number;
  bitDepth: number;
  format: string;
  sha256: string;
  thumbnailUrl: string;
  bytes: ArrayBuffer;
}

export interface RejectedFile {
  name: string;
  reason: string;
}

interface ChipsState {
  chips: BaseChip[];
  /** What the last drop rejected, with reasons. */
  rejected: RejectedFile[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadDemoChips(): Promise<void>;
  addFiles(files: ReadonlyArray<File>): Promise<void>;
  removeChip(id: string): Promise<void>;
  dismissRejected(): void;
}

/** Files dropped together are inspected in one worker call; larger drops would only delay the first thumbnails. */
const DEMO_INDEX_URL = `${import.meta.env.BASE_URL}chips/index.json`;

export const useChipsStore = create<ChipsState>((set, get) => {
  /** Registers the current chips with the generator (the pool keeps them for restarts). */
  const syncPool = async (chips: BaseChip[]) => {
    await generatorPool().setChips(chips.map((c) => ({ id: c.id, bytes: c.bytes })));
  };

  const inspect = async (files: Array<{ name: string; bytes: ArrayBuffer }>, source: BaseChip['source'], existing: BaseChip[]) => {
    const outcomes = await generatorPool().inspectImages(files.map((f) => ({ name: f.name, bytes: f.bytes.slice(0) })));
    const accepted: BaseChip[] = [];
    const rejected: RejectedFile[] = [];
    const known = [...existing];
    outcomes.forEach((o, i) => {
      if (!o.ok) {
        rejected.push({ name: o.name, reason: o.reason });
        return;
      }
      const duplicate = known.find((c) => c.sha256 === o.sha256);
      if (duplicate) {
        rejected.push({ name: o.name, reason: `a duplicate of ${duplicate.id} (same bytes)` });
        return;
      }
      const chip: BaseChip = {
        id: uniqueId(o.name, known),
        source,
        width: o.width,
        height: o.height,
        bitDepth: o.bitDepth,
        format: o.format,
        sha256: o.sha256,
        thumbnailUrl: URL.createObjectURL(o.thumbnail),
        bytes: files[i].bytes,
      };
      accepted.push(chip);
      known.push(chip);
    });
    return { accepted, rejected };
  };

  return {
    chips: [],
    rejected: [],
    status: 'idle',
    error: null,

    async loadDemoChips() {
      set({ status: 'loading', error: null });
      try {
        const index: Array<{ id: string; file: string }> = await (await fetch(DEMO_INDEX_URL)).json();
        const files = await Promise.all(
          index.map(async (c) => {
            const response = await fetch(`${import.meta.env.BASE_URL}chips/${c.file}`);
            if (!response.ok) throw new Error(`demo chip ${c.file}: HTTP ${response.status}`);
            return { name: c.id, bytes: await response.arrayBuffer() };
          }),
        );
        const { accepted, rejected } = await inspect(files, 'demo', []);
        if (rejected.length) throw new Error(`demo chips failed to load: ${rejected.map((r) => `${r.name}: ${r.reason}`).join('; ')}`);
        await syncPool(accepted);
        get().chips.forEach((c) => URL.revokeObjectURL(c.thumbnailUrl));
        set({ chips: accepted, status: 'ready', rejected: [] });
      } catch (e) {
        set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      }
    },

    async addFiles(fileList) {
      set({ status: 'loading', error: null });
      try {
        const files = await Promise.all(fileList.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
        // The user's own chips replace the demo chips (DESIGN §1: demo chips are used when none are dropped).
        const userChips = get().chips.filter((c) => c.source === 'user');
        const { accepted, rejected } = await inspect(files, 'user', userChips);
        if (accepted.length === 0) {
          set({ status: 'ready', rejected });
          return;
        }
        const chips = [...userChips, ...accepted];
        await syncPool(chips);
        get()
          .chips.filter((c) => c.source === 'demo')
          .forEach((c) => URL.revokeObjectURL(c.thumbnailUrl));
        set({ chips, rejected, status: 'ready' });
      } catch (e) {
        set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      }
    },

    async removeChip(id) {
      const removed = get().chips.find((c) => c.id === id);
      const chips = get().chips.filter((c) => c.id !== id);
      if (chips.length === 0) {
        // Never leave the generator without chips: fall back to the demo set.
        await get().loadDemoChips();
      } else {
        await syncPool(chips);
        set({ chips });
      }
      if (removed) URL.revokeObjectURL(removed.thumbnailUrl);
    },

    dismissRejected() {
      set({ rejected: [] });
    },
  };
});

function uniqueId(name: string, existing: readonly BaseChip[]): string {
  if (!existing.some((c) => c.id === name)) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let k = 2; ; k++) {
    const candidate = `${stem} (${k})${ext}`;
    if (!existing.some((c) => c.id === candidate)) return candidate;
  }
}
