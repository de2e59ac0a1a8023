/**
 * The tabular domain's foundation: reading a CSV table, the seeded train/holdout split, the
 * constraints (YAML, validation against the real rows, sum-group detection, projection), the metric
 * suite of docs/tabular.md with its floor, the gate presets, the generators, the calibration loop over their
 * settings (loop/) and the synthetic table's CSV text. Pure functions over strings and arrays: the
 * page streams files in a worker, the command line reads them from disk, both call these.
 */
export { TabularInputError, type TabularLocation } from './tabularInputError';
export * from './table';
export { readTable, type ReadTableOptions } from './csv/readTable';
export { decodeTableText, firstInvalidUtf8 } from './csv/decodeText';
export { detectDelimiter, type Delimiter } from './csv/delimiter';
export { MISSING_TOKENS } from './csv/cells';
export { checkTableShape } from './csv/checkTableShape';
export { splitRows, splitTable, type SplitOptions, type TableSplit } from './split';
export * from './constraints/types';
export { parseConstraints } from './constraints/parseConstraints';
export { validateConstraints } from './constraints/validateConstraints';
export { breaksAny, compileConstraints, firstViolation, numericRow, type CompiledConstraints } from './constraints/compile';
export { detectSumGroups, type DetectSumGroupsOptions, type SumGroupOffer } from './constraints/detectSumGroups';
export { projectRow, projectTable, type ProjectedTable } from './constraints/project';
export { METRIC_KEYS, type MetricKey, type MetricValue, type TabularMetrics } from './metrics/keys';
export { evaluateFloor, evaluateSynthetic, prepareReference, type EvaluateOptions, type ReferenceOptions, type TabularReference } from './metrics/suite';
export { ks2samp, type KsResult } from './metrics/ks2samp';
export { GATE_PRESETS, GATE_PRESET_NAMES, evaluateGates, meets, type Gate, type GateEvaluation, type GateOp, type GatePreset, type GatePresetName, type GateResult } from './gates';
export { utility } from './utility';
export { jitter, medianAbsoluteDeviation, type JitterSettings } from './generators/jitter';
export { gaussianCopula, type CopulaSettings } from './generators/gaussianCopula';
export { vae, VAE_BATCH_SIZE, VAE_HIDDEN_UNITS, type VaeOptions, type VaeSettings } from './generators/vae';
export { searchedGenerators, VAE_DEFAULTS } from './loop/settingsSpace';
export type { GeneratedTable, GenerateOptions } from './generators/generatedTable';
export { classQuotas } from './generators/sourceRows';
export { formatTable, formatFixed } from './csv/writeTable';
export * from './loop';
