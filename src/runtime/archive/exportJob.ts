import type { ChipRecord, ExperimentRecord, IterationRecord, SampleRecord } from '../../engine/experiment/records';
import { closingFiles, domainFiles, experimentFiles, iterationFiles, manifestFile, sortChips, tablePath, type ArchiveExtent, type ArchiveFile, type ArchiveSample, type MapPoint } from '../../storage/archive';
import type { ExportStatus } from './protocol';
import { StreamingZip } from './zipWriter';

/** What an export carries besides the experiment record, its chips and real images. */
export interface ExportExtras {
  /** The real tables (input role 'table'). */
  tables?: readonly ChipRecord[];
  /** The domain's own files by name, written under domain/ (import ignores them). */
  domainFiles?: readonly ArchiveFile[];
}

/**
 * One export in progress: the experiment's files (and the domain's) first, then an iteration folder per
 * call, then the closing files and the manifest. Keeps only what the closing files need (iteration
 * records, the 2-D points for the report's map, counts) — samples are written and dropped.
 */
export class ExportJob {
  private readonly zip: StreamingZip;
  private readonly records: IterationRecord[] = [];
  private readonly points: MapPoint[] = [];
  private readonly iterationNumbers = new Set<number>();
  private sampleCount = 0;
  private readonly chipCount: number;
  private readonly realImageCount: number;
  private readonly tableCount: number;
  private readonly extent: ArchiveExtent;

  constructor(private readonly experiment: ExperimentRecord, chips: readonly ChipRecord[], realImages: readonly ChipRecord[], extras: ExportExtras = {}) {
    this.zip = new StreamingZip(experiment.updatedAt);
    const files = experimentFiles(experiment, chips, realImages, extras.tables);
    const domain = domainFiles(extras.domainFiles ?? []);
    for (const file of [...files, ...domain]) this.zip.add(file);
    this.chipCount = chips.length;
    this.realImageCount = realImages.length;
    this.tableCount = extras.tables?.length ?? 0;
    this.extent = { tables: sortChips(extras.tables ?? []).map((t) => tablePath(t.id)), domainFiles: domain.map((f) => f.path) };
  }

  status(): ExportStatus {
    return { files: this.zip.files.length, bytes: this.zip.bytesWritten };
  }

  async addIteration(iteration: number, record: IterationRecord | undefined, samples: readonly SampleRecord[], checkCancelled: () => void): Promise<ExportStatus> {
    if (this.iterationNumbers.has(iteration)) throw new Error(`iteration ${iteration} was already added to this export`);
    if (record && record.iteration !== iteration) throw new Error(`the record of iteration ${record.iteration} was given as iteration ${iteration}`);
    const withBytes: ArchiveSample[] = [];
    for (const { png, ...rest } of samples) {
      checkCancelled();
      withBytes.push(png ? { ...rest, image: new Uint8Array(await png.arrayBuffer()) } : rest);
    }
    const { files, points } = iterationFiles(this.experiment, iteration, withBytes);
    for (const file of files) {
      checkCancelled();
      this.zip.add(file);
    }
    this.zip.flush();
    this.iterationNumbers.add(iteration);
    if (record) this.records.push(record);
    this.points.push(...points);
    this.sampleCount += samples.length;
    return this.status();
  }

  finish(): Blob {
    const numbers = [...this.iterationNumbers].sort((a, b) => a - b);
    for (const file of closingFiles(this.experiment, this.records, numbers, this.points, this.sampleCount, this.extent)) this.zip.add(file);
    const counts = { iterations: numbers.length, iteration_records: this.records.length, samples: this.sampleCount, chips: this.chipCount, real_images: this.realImageCount, tables: this.tableCount };
    this.zip.add(manifestFile(this.experiment, counts, [...this.zip.files]));
    return this.zip.finish();
  }

  terminate(): void {
    this.zip.terminate();
  }
}
