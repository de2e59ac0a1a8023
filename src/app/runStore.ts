import type { IterationRecord } from '../engine/experiment/records';
import type { PipelineStore } from './pipelineServices';

/**
 * The pipeline store as one run sees it while it holds the experiment's run lock: the iteration records
 * are read once, then kept current from the run's own commits instead of being read again.
 *
 * The runner reads every iteration record before each stage (what is next, the history the optimizer
 * fits), and a record carries its iteration's scores, proposal and plausible region (tens of KB), so
 * those reads grow with the experiment: past 50 iterations they were the largest main-thread cost of
 * an auto-run in the page. The run lock keeps every other writer of the experiment's records out, and
 * every write of the run goes through commitStage here, so the records held are the ones stored.
 * A record is kept as a copy of what was committed (the store keeps a copy too) and handed out shared,
 * in a new array per call: the pipeline never changes a record in place.
 */
export function runStore(store: PipelineStore): PipelineStore {
  const held = new Map<string, IterationRecord[]>();
  return {
    async getIterations(experimentId) {
      let records = held.get(experimentId);
      if (!records) {
        records = await store.getIterations(experimentId);
        held.set(experimentId, records);
      }
      return [...records];
    },
    getSamples: (experimentId, iteration) => store.getSamples(experimentId, iteration),
    getSampleIds: (experimentId, iteration) => store.getSampleIds(experimentId, iteration),
    putSamples: (samples) => store.putSamples(samples),
    async commitStage(input) {
      await store.commitStage(input);
      const records = held.get(input.iteration.experimentId);
      if (!records) return;
      const committed = structuredClone(input.iteration);
      const others = records.filter((r) => r.iteration !== committed.iteration);
      held.set(
        input.iteration.experimentId,
        [...others, committed].sort((a, b) => a.iteration - b.iteration),
      );
    },
    getRealImages: (experimentId) => store.getRealImages(experimentId),
  };
}
