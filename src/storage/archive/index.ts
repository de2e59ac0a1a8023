/**
 * The experiment archive's formats, pure TypeScript: .npy, the folder layout (the first user's Python
 * pipeline's, see docs/decisions.md, 'Formats follow the first user's Python pipeline'), the manifest
 * and its checks, the ZIP directory reader, history.json, the report with inline SVG plots, and the
 * builders/readers of every file. The ZIP streaming itself (fflate) lives in
 * src/runtime/archive.worker.ts.
 */
export type { ArchiveContents, ArchiveFile, ArchiveSample, ExperimentBundle, MapPoint } from './bundle';
export { crc32 } from './crc32';
export { ArchiveError } from './errors';
export { historyJson, summarizeHistory, type HistoryFile, type HistoryObservation, type HistorySummaryRow } from './history';
export * from './layout';
export {
  ARCHIVE_FORMAT_VERSION,
  ARCHIVE_TOOL,
  checkDirectory,
  DEFAULT_MAX_IMPORT_BYTES,
  formatBytes,
  isSafeArchivePath,
  MAX_COMPRESSION_RATIO,
  MAX_MANIFEST_BYTES,
  MIN_RATIO_CHECK_BYTES,
  validateManifest,
  type ArchiveCounts,
  type ArchiveManifest,
  type ManifestFile,
} from './manifest';
export { decodeNpy, encodeNpy, NpyFormatError, type NpyArray, type NpyDescr } from './npy';
export { readArchiveContents, samePlainData } from './readArchive';
export { archiveReadme } from './readme';
export { convergenceSvg, latentMapSvg, reportHtml, type ReportInput } from './report';
export { fromTaggedJson, toTaggedJson } from './taggedJson';
export { utf8Decode, utf8Encode } from './utf8';
export { closingFiles, domainFiles, experimentFiles, iterationFiles, manifestFile, sortChips, zipEntryTime, type ArchiveChipEntry, type ArchiveExtent, type ExperimentJson, type SampleExtras } from './writeArchive';
export { EOCD_SEARCH_SIZE, LOCAL_HEADER_SIZE, localDataOffset, readCentralDirectory, readEndOfCentralDirectory, type EndOfCentralDirectory, type ZipEntry } from './zipDirectory';
