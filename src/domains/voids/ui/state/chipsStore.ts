import { create } from 'zustand';
import { sameBytes } from './sameBytes';
import { generatorPool } from '../../../../state/wiring';

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

/** A chip as an experiment stores it: its id and the bytes as dropped. */
export interface StoredImage {
  id: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
}

interface ChipsState {
  /** The chips the panel lists and the preview paints on: the inputs of the next new experiment. */
  chips: BaseChip[];
  /**
   * The chips stored with an opened experiment (part of its record: never edited here). While `chips` is
   * this very array the panel shows the open experiment's inputs; a drop or a removal makes a new set
   * for the next experiment and leaves this one as it is.
   */
  stored: { experimentId: string; chips: BaseChip[] } | null;
  /** What the last drop rejected, with reasons. */
  rejected: RejectedFile[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadDemoChips(): Promise<void>;
  addFiles(files: ReadonlyArray<File>): Promise<void>;
  removeChip(id: string): Promise<void>;
  dismissRejected(): void;
  /** Shows the chips stored with an experiment that was opened (none stored: the panel keeps its chips). */
  showExperimentChips(experimentId: string, records: readonly StoredImage[]): Promise<void>;
  /** Drops the set made for the next experiment and shows the open experiment's chips again. */
  restoreStoredChips(): Promise<void>;
}

/** Whether the panel shows exactly the chips stored with the experiment it was last given. */
export function showsStoredChips(state: Pick<ChipsState, 'chips' | 'stored'>): boolean {
  return state.stored !== null && state.chips === state.stored.chips;
}

/** Files dropped together are inspected in one worker call; larger drops would only delay the first thumbnails. */
const DEMO_INDEX_URL = `${import.meta.env.BASE_URL}chips/index.json`;

export const useChipsStore = create<ChipsState>((set, get) => {
  /**
   * Counts the loads that replace the whole set (demo chips, an opened experiment's chips): a load that
   * another one overtook is dropped, so the demo chips the page asks for at start never cover the chips
   * of the experiment opened meanwhile.
   */
  let generation = 0;

  /** Registers the current chips with the generator (the pool keeps them for restarts). */
  const syncPool = async (chips: BaseChip[]) => {
    await generatorPool().setChips(chips.map((c) => ({ id: c.id, bytes: c.bytes })));
  };

  /** Frees the thumbnails of chips that neither the listed set nor the stored set still shows. */
  const release = (chips: readonly BaseChip[]) => {
    const { chips: listed, stored } = get();
    const live = new Set([...listed, ...(stored?.chips ?? [])].map((c) => c.thumbnailUrl));
    chips.forEach((c) => live.has(c.thumbnailUrl) || URL.revokeObjectURL(c.thumbnailUrl));
  };

  /** Puts a set in the list (and in the generator), freeing what it replaces. */
  const list = async (chips: BaseChip[], extra: Partial<ChipsState> = {}) => {
    const before = get().chips;
    if (!sameChips(before, chips)) await syncPool(chips);
    set({ chips, status: 'ready', error: null, ...extra });
    release(before);
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
    stored: null,
    rejected: [],
    status: 'idle',
    error: null,

    async loadDemoChips() {
      const load = ++generation;
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
        if (load !== generation) return accepted.forEach((c) => URL.revokeObjectURL(c.thumbnailUrl));
        await list(accepted, { rejected: [] });
      } catch (e) {
        if (load === generation) set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      }
    },

    async addFiles(fileList) {
      set({ status: 'loading', error: null });
      try {
        const files = await Promise.all(fileList.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
        // Dropped chips add to chips dropped before; they replace the demo chips (used only while none
        // are dropped) and the open experiment's chips (which stay its record: a drop starts the set of
        // the next experiment).
        const { chips: listed, stored } = get();
        const kept = listed === stored?.chips ? [] : listed.filter((c) => c.source === 'user');
        const { accepted, rejected } = await inspect(files, 'user', kept);
        if (accepted.length === 0) {
          set({ status: 'ready', rejected });
          return;
        }
        await list([...kept, ...accepted], { rejected });
      } catch (e) {
        set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
      }
    },

    async removeChip(id) {
      const { chips: listed, stored } = get();
      // The open experiment's chips are part of its record.
      if (listed === stored?.chips) return;
      const chips = listed.filter((c) => c.id !== id);
      // Never leave the generator without chips: fall back to the open experiment's chips, else the demo set.
      if (chips.length > 0) await list(chips);
      else if (stored) await list(stored.chips);
      else await get().loadDemoChips();
    },

    dismissRejected() {
      set({ rejected: [] });
    },

    async showExperimentChips(experimentId, records) {
      const load = ++generation;
      const previous = get().stored;
      if (records.length === 0) {
        // Nothing stored to show (a domain without chips): the panel keeps its chips, as plain inputs.
        set({ stored: null });
        if (previous) release(previous.chips);
        return;
      }
      // Chips already on the page with the same name and bytes are reused (a new experiment's own chips,
      // reopened right after it was made): no second decode, no flicker of the thumbnails.
      const known = [...get().chips, ...(previous?.chips ?? [])];
      const reused = records.map((r) => known.find((c) => c.id === r.id && sameBytes(c.bytes, r.bytes)));
      let chips: BaseChip[];
      let error: string | null = null;
      if (reused.every((c): c is BaseChip => c !== undefined)) {
        chips = sameChips(get().chips, reused) ? get().chips : reused;
      } else {
        set({ status: 'loading', error: null });
        try {
          const outcomes = await generatorPool().inspectImages(records.map((r) => ({ name: r.id, bytes: r.bytes.slice(0) })));
          chips = outcomes.flatMap((o, i) =>
            o.ok ? [{ id: records[i].id, source: 'user' as const, width: o.width, height: o.height, bitDepth: o.bitDepth, format: o.format, sha256: o.sha256, thumbnailUrl: URL.createObjectURL(o.thumbnail), bytes: records[i].bytes }] : [],
          );
          const unreadable = outcomes.flatMap((o) => (o.ok ? [] : [`${o.name}: ${o.reason}`]));
          if (unreadable.length) error = `The open experiment's chips that could not be read: ${unreadable.join('; ')}`;
        } catch (e) {
          if (load === generation) set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
          return;
        }
        if (load !== generation || chips.length === 0) {
          chips.forEach((c) => URL.revokeObjectURL(c.thumbnailUrl));
          if (load === generation) set({ status: 'ready', error, stored: null });
          return;
        }
      }
      if (chips !== get().chips) {
        set({ status: 'loading' });
        try {
          await syncPool(chips);
        } catch (e) {
          if (load === generation) set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
          return;
        }
        if (load !== generation) return;
      }
      const before = get().chips;
      set({ chips, stored: { experimentId, chips }, status: 'ready', error, rejected: [] });
      release([...before, ...(previous?.chips ?? [])]);
    },

    async restoreStoredChips() {
      const stored = get().stored;
      if (stored) await list(stored.chips, { rejected: [] });
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

/** Whether two sets hold the same chips in the same order. */
function sameChips(a: readonly BaseChip[], b: readonly BaseChip[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}
