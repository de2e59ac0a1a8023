import { ExperimentService } from '../app/experimentService';
import { StudyService } from '../app/studyService';
import { TabularService } from '../app/tabularService';
import { createTabularClient, type TabularClient } from '../runtime/tabularClient';
import { domainRegistry } from '../app/domains';
import type { PipelineServices, PipelineStore } from '../app/pipelineServices';
import { DOMAINS } from '../domains/registry';
import { isCancelled } from '../runtime/lib/jobs';
import { experimentDb, runLock, type ExperimentDbApi } from './dbStore';
import { createAnalyzeClient, type AnalyzeClient } from '../runtime/analyzeClient';
import { createOptimizeClient, type OptimizeClient } from '../runtime/optimizeClient';
import { useEmbedderStore } from './embedderStore';
import { GeneratorPool } from '../runtime/generatorPool';
import { generateInPage } from '../runtime/domainHosts';
import { preprocessSpecForInput, type PreprocessSpec } from '../embedders/preprocess';


/**
 * The page's workers and services, each started on first use: the one place the page is wired.
 *
 * Two generator pools: the run's holds the open experiment's stored chips, the page's holds whatever
 * chips the panels show (and decodes dropped files, and paints previews); the two sets can differ, even
 * under the same chip name.
 */
let pool: GeneratorPool | null = null;
let page: GeneratorPool | null = null;
export const pipelinePool = () => (pool ??= new GeneratorPool());
export const generatorPool = () => (page ??= new GeneratorPool());

let analyze: AnalyzeClient | null = null;
let optimize: OptimizeClient | null = null;
/** The app's analyze and optimize workers (each starts on first use). */
export const analyzeClient = () => (analyze ??= createAnalyzeClient());
export const optimizeClient = () => (optimize ??= createOptimizeClient());

/** The preprocessing of the loaded ONNX model (none for the image-statistics embedder, which reads pixels). */
function loadedModelPreprocessing(): PreprocessSpec | undefined {
  const info = useEmbedderStore.getState().info;
  return info?.kind === 'onnx' && info.inputSize ? preprocessSpecForInput(info.inputSize.height, info.inputSize.width) : undefined;
}

/** The real services: the generator pool, the embedder the user chose, the analyze and optimize workers. */
export function createPipelineServices(store: PipelineStore): PipelineServices {
  return {
    store,
    // The generator also makes each image's model input, so that resizing and normalising the next chunk
    // overlap the model's run on this one instead of delaying it in the embed worker.
    generate: (experiment, domain, jobs, call) => generateInPage(pipelinePool, experiment, domain, jobs, { signal: call?.signal, prepareFor: loadedModelPreprocessing() }),
    decodeImage: (name, bytes) => pipelinePool().decodeToRgba(name, bytes),
    encodePng: (image) => pipelinePool().encodePng(image),
    async embed(images, call) {
      // The pipeline does not read the pixels after embedding (the PNG is already encoded): move them.
      const result = await useEmbedderStore.getState().embed(images, { ...call, transferPixels: true });
      // The image-statistics embedder runs no inference session: its iterations store no inference time.
      return result.info.kind === 'onnx' ? { items: result.items, inferenceMs: result.timing.inferenceMs } : { items: result.items };
    },
    analysis: {
      async fitIterationZero(embeddings, realCount, options) {
        const client = analyzeClient();
        const [projection, scoring] = await Promise.all([
          client.fitProjection(embeddings, options.projection),
          client.scoringConfigFromIteration0(embeddings, realCount, { seed: options.seed }),
        ]);
        return { projection, scoring };
      },
      project: (model, embeddings) => analyzeClient().projectEmbeddings(model, embeddings),
      scoreParameterSets: (real, sets, scoring, call) => analyzeClient().scoreParameterSets(real, sets, scoring, call),
      scoreIteration: (real, synthetic, scoring, call) => analyzeClient().scoreIteration(real, synthetic, scoring, call),
      confirm: (input, call) => analyzeClient().confirm(input, call),
      recipe: (input, call) => analyzeClient().recipe(input, call),
    },
    propose: (input, call) => optimizeClient().proposeBatch(input, call),
    now: () => new Date().toISOString(),
  };
}

/** The page's experiment service: IndexedDB, the workers, Web Locks across tabs, the app's domains. */
export function createExperimentService(db: ExperimentDbApi): ExperimentService {
  return new ExperimentService({
    store: db,
    pipeline: createPipelineServices(db),
    domains: domainRegistry(DOMAINS),
    locks: { acquire: (id, waitMs) => runLock(id, waitMs) },
    async prepareRun(experiment) {
      await useEmbedderStore.getState().ensureEmbedder(experiment.embedder);
      await pipelinePool().setChips(await db.getChips(experiment.id));
    },
    isCancellation: isCancelled,
  });
}

/** The page's ask/tell studies: the same IndexedDB store, scored and proposed in the analyze and optimize workers. */
export function createStudyService(db: ExperimentDbApi): StudyService {
  const services = createPipelineServices(db);
  return new StudyService({ store: db, analysis: services.analysis, propose: services.propose, now: services.now });
}

let tabular: TabularClient | null = null;
/** The tabular worker (starts on first use). */
export const tabularClient = () => (tabular ??= createTabularClient());

let tabularServiceOfPage: Promise<TabularService> | null = null;
/**
 * The page's table calibrations, one service for the tab (its store, the export): the same IndexedDB
 * store, measured in the tabular worker, one tab at a time.
 */
export const tabularService = (): Promise<TabularService> =>
  (tabularServiceOfPage ??= experimentDb().then((db) => new TabularService({ store: db, engine: tabularClient(), locks: { acquire: (id, waitMs) => runLock(id, waitMs) }, isCancellation: isCancelled })));
