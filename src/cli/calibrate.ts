import { promises as fs } from 'node:fs';
import { basename, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { inProcessAnalysis, inProcessPropose } from '../app/inProcessServices';
import { StudyService, type StudyStatus } from '../app/studyService';
import { toldSamples } from '../app/studyResults';
import { importedDomain } from '../domains/imported/domain';
import type { ExperimentRecord } from '../engine/experiment/records';
import type { ParameterSpace } from '../engine/space/space';
import { parseSpaceEditFile, parseSpaceFile } from '../engine/space/spaceFile';
import { StudyInputError } from '../engine/studyInputError';
import { ArchiveError } from '../storage/archive';
import { decodeInputText } from '../storage/formats/csvText';
import { optunaJournal, type JournalTrial } from '../storage/formats/optunaJournal';
import { proposalsCsv, proposalsJson } from '../storage/formats/proposals';
import { checkSamplesAlign, readSamplesCsv } from '../storage/formats/samplesCsv';
import { readVectors } from '../storage/formats/vectors';
import { FolderStudyStore } from './folderStudyStore';
import { readStudyFolder, studyFiles } from './studyFolder';
import { withStudyLock } from './studyLock';
import { parse, positiveInteger, readInput, required, UsageError, type Io } from './args';
import { tabular, TABULAR_USAGE } from './tabular';

/**
 * The command line of ask/tell studies: the same engine and StudyService as the page, on a study folder
 * (the unzipped export ZIP). stdout carries only the data asked for; messages go to stderr. Exit 0 on
 * success, 2 on bad input (the message names the file, row, column or parameter, and the study is left
 * byte for byte as it was), 1 on anything else.
 */

export { UsageError, type Io };

const USAGE = `usage: calibrate <command> STUDY [options]
  init STUDY --space SPACE.yaml --real REAL.npy [--batch 8] [--replicates 3] [--initial N] [--seed S]
  ask STUDY [--n N] [--format csv|json]
  tell STUDY --samples SAMPLES.csv --embeddings EMB.npy
  status STUDY [--json]
  space STUDY --space NEW.yaml    (widen or narrow bounds, fix a parameter with low = high, add choices, or
                                   add a parameter with "value:", the value earlier sets had; never remove,
                                   rename or retype one; abandon pending sets the new space would leave out)
  abandon STUDY PARAM_SET_ID...
  export STUDY --zip OUT.zip | --optuna-journal OUT.jsonl
${TABULAR_USAGE}`;

/** Runs one command; returns the exit status. */
export async function calibrate(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'init':
        return await init(rest, io);
      case 'ask':
        return await ask(rest, io);
      case 'tell':
        return await tell(rest, io);
      case 'status':
        return await status(rest, io);
      case 'space':
        return await editSpace(rest, io);
      case 'abandon':
        return await abandon(rest, io);
      case 'export':
        return await exportStudy(rest, io);
      case 'tabular':
        return await tabular(rest, io);
      case undefined:
      case '--help':
      case 'help':
        io.err(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const bad = error instanceof StudyInputError || error instanceof UsageError || error instanceof ArchiveError || (error as Error)?.name === 'NpyFormatError';
    io.err(`calibrate: ${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? `${USAGE}\n` : ''}`);
    return bad ? 2 : 1;
  }
}

/** A study's id inside its folder: the folder's name, reduced to safe characters. */
const studyId = (folder: string) => basename(resolve(folder)).replace(/[^A-Za-z0-9_-]/g, '_') || 'study';

const serviceFor = (store: FolderStudyStore) => new StudyService({ store, analysis: inProcessAnalysis, propose: inProcessPropose });

/** Runs a change to a study under its lock, writing the folder once at the end (all or nothing). */
async function changeStudy<T>(folder: string, fn: (service: StudyService, id: string, store: FolderStudyStore) => Promise<T>): Promise<T> {
  return withStudyLock(folder, async () => {
    const store = await FolderStudyStore.open(folder);
    const [experiment] = await store.listExperiments();
    const result = await fn(serviceFor(store), experiment.id, store);
    await store.flush();
    return result;
  });
}

async function init(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { space: { type: 'string' }, real: { type: 'string' }, batch: { type: 'string' }, replicates: { type: 'string' }, initial: { type: 'string' }, seed: { type: 'string' } },
    { min: 1, max: 1, names: 'one STUDY folder' },
  );
  const [folder] = positionals;
  if (await fs.lstat(folder).then(() => true, () => false)) throw new StudyInputError(folder, 'already exists; a new study needs a new folder');
  const spacePath = required(values, 'space');
  const realPath = required(values, 'real');
  const space = parseSpaceFile(decodeInputText(await readInput(spacePath), spacePath), spacePath);
  const real = readVectors(await readInput(realPath), realPath);
  await withStudyLock(folder, async () => {
    const store = await FolderStudyStore.create(folder);
    await serviceFor(store).init(studyId(folder), {
      space,
      real,
      name: basename(resolve(folder)),
      batch: positiveInteger(values, 'batch', 8),
      replicates: positiveInteger(values, 'replicates', 3),
      initial: positiveInteger(values, 'initial'),
      seed: positiveInteger(values, 'seed', 0),
    });
    await store.flush();
  });
  io.err(`calibrate: created ${folder} (${space.parameters.length} parameters, ${real.rows} real vectors of ${real.cols} values)\n`);
  return 0;
}

async function ask(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { n: { type: 'string' }, format: { type: 'string' } }, { min: 1, max: 1, names: 'one STUDY folder' });
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, got "${String(format)}"`);
  const n = positiveInteger(values, 'n');
  const { sets, space } = await changeStudy(positionals[0], async (service, id, store) => {
    const asked = await service.ask(id, n);
    return { sets: asked, space: spaceOf((await store.getExperiment(id))!) };
  });
  for (const s of sets) {
    if (s.samples !== undefined) io.err(`calibrate: ${s.param_set_id} confirms the best set: tell ${s.samples} samples of it; they are tested against the real set (status --json then has the statement)\n`);
  }
  io.out(format === 'json' ? proposalsJson(sets) : proposalsCsv(space, sets));
  return 0;
}

async function tell(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { samples: { type: 'string' }, embeddings: { type: 'string' } }, { min: 1, max: 1, names: 'one STUDY folder' });
  const samplesPath = required(values, 'samples');
  const embeddingsPath = required(values, 'embeddings');
  const samplesText = decodeInputText(await readInput(samplesPath), samplesPath);
  const embeddingsBytes = await readInput(embeddingsPath);
  const result = await changeStudy(positionals[0], async (service, id, store) => {
    const experiment = (await store.getExperiment(id))!;
    const space = spaceOf(experiment);
    const rows = readSamplesCsv(samplesText, space, samplesPath);
    const vectors = readVectors(embeddingsBytes, embeddingsPath);
    // The width is the vectors file's fault: name it, not a row of the samples.
    const dimension = experiment.embedder.dimension;
    if (vectors.cols !== dimension) throw new StudyInputError(embeddingsPath, `the vectors have ${vectors.cols} values each, the study's real vectors have ${dimension}`);
    checkSamplesAlign(rows, vectors, samplesPath, embeddingsPath);
    return service.tell(id, toldSamples(rows, vectors), samplesPath);
  });
  for (const w of result.warnings) io.err(`calibrate: warning: ${w}\n`);
  io.err(`calibrate: told ${result.sets.length} parameter set(s)${result.attached.length ? `, ${result.attached.length} attached (${result.attached.join(', ')})` : ''}\n`);
  return 0;
}

async function status(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, { min: 1, max: 1, names: 'one STUDY folder' });
  // Reading needs the lock too: a write in progress swaps the folder.
  const report = await withStudyLock(positionals[0], async () => {
    const store = await FolderStudyStore.open(positionals[0]);
    const [experiment] = await store.listExperiments();
    return serviceFor(store).status(experiment.id);
  });
  io.out(values.json ? `${JSON.stringify(report)}\n` : statusText(report));
  return 0;
}

async function editSpace(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { space: { type: 'string' } }, { min: 1, max: 1, names: 'one STUDY folder' });
  const spacePath = required(values, 'space');
  const edit = parseSpaceEditFile(decodeInputText(await readInput(spacePath), spacePath), spacePath);
  const result = await changeStudy(positionals[0], (service, id) => service.space(id, edit.space, { values: edit.values, file: spacePath }));
  for (const w of result.warnings) io.err(`calibrate: warning: ${w}\n`);
  const added = result.added.length ? `, added ${result.added.join(', ')}` : '';
  const attached = result.attached.length ? `, ${result.attached.length} set(s) now attached (${result.attached.join(', ')})` : '';
  io.err(`calibrate: space of ${positionals[0]} updated (${edit.space.parameters.length} parameters${added}${attached})\n`);
  return 0;
}

async function abandon(args: readonly string[], io: Io): Promise<number> {
  const { positionals } = parse(args, {}, { min: 2, names: 'a STUDY folder and at least one PARAM_SET_ID' });
  const [folder, ...ids] = positionals;
  await changeStudy(folder, (service, id) => service.abandon(id, ids));
  io.err(`calibrate: abandoned ${ids.join(', ')}\n`);
  return 0;
}

async function exportStudy(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { zip: { type: 'string' }, 'optuna-journal': { type: 'string' } }, { min: 1, max: 1, names: 'one STUDY folder' });
  const zipPath = values.zip as string | undefined;
  const journalPath = values['optuna-journal'] as string | undefined;
  if (!zipPath === !journalPath) throw new UsageError('give exactly one of --zip OUT.zip and --optuna-journal OUT.jsonl');
  const bundle = await withStudyLock(positionals[0], () => readStudyFolder(positionals[0]));
  if (zipPath) {
    const files = await studyFiles(bundle);
    await fs.writeFile(zipPath, zipSync(Object.fromEntries(files.map((f) => [f.path, f.bytes]))));
    io.err(`calibrate: wrote ${zipPath} (${files.length} files)\n`);
  } else {
    const trials: JournalTrial[] = bundle.iterations
      .flatMap((it) => it.paramSets)
      .filter((p) => p.dataset_type !== 'real' && !p.abandoned && (p.score || p.pending))
      .map((p) => {
        const replicates = bundle.samples.filter((s) => s.metadata.param_set_id === p.param_set_id).length;
        const userAttrs = { param_set_id: p.param_set_id, replicates };
        return p.score ? { params: p.params, state: 'COMPLETE' as const, value: p.score.score, userAttrs } : { params: p.params, state: 'RUNNING' as const, userAttrs };
      });
    await fs.writeFile(journalPath!, optunaJournal({ name: bundle.experiment.name, space: spaceOf(bundle.experiment), trials, datetime: bundle.experiment.createdAt }));
    io.err(`calibrate: wrote ${journalPath} (${trials.length} trials)\n`);
  }
  return 0;
}

const spaceOf = (experiment: ExperimentRecord): ParameterSpace => importedDomain.space(experiment.config);

function statusText(s: StudyStatus): string {
  const lines = [
    `iterations ${s.iterations}, observations ${s.observations}, samples ${s.samples}, pending ${s.pending.length}${s.pending.length ? ` (${s.pending.join(', ')})` : ''}`,
    s.best ? `best ${s.best.param_set_id}: score ${s.best.score}${s.best.posterior_mean !== null ? `, posterior mean ${s.best.posterior_mean}` : ''}, ${JSON.stringify(s.best.params)}` : 'best: none yet',
    s.noise_floor ? `noise floor: mean ${s.noise_floor.mean}, high ${s.noise_floor.high}` : 'noise floor: not yet (asked for when the first model-based batch is)',
    s.converged ? `converged: ${s.reason}` : 'not converged',
    ...(s.confirming ? [`awaiting a confirmation: tell ${s.confirming.samples} samples of ${s.confirming.param_set_id}`] : []),
    ...(s.statement ? [`confirmation: ${s.statement}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
