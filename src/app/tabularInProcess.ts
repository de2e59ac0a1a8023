import { TabularWorkbench, trainingReporter } from '../domains/tabular/workbench';
import type { CalibrationHandle, TabularEngine } from '../runtime/tabularClient';

/**
 * A TabularEngine that measures in this thread: Node (tests, scripts) and any caller without workers.
 * The same workbench the tabular worker hosts, so both make the same evaluations.
 */
export function inProcessTabularEngine(workbench = new TabularWorkbench()): TabularEngine {
  const ensure = async (run: CalibrationHandle) => {
    if (!workbench.has(run.key)) workbench.openCalibration(run.key, await run.spec());
  };
  const checked = (signal?: AbortSignal) => {
    if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
  };
  return {
    review: async (source, choices) => workbench.review(source, choices),
    constraintsProblem: async (source, choices, yaml, file) => workbench.constraintsProblem(source, choices, yaml, file),
    open: async (run) => workbench.openCalibration(run.key, await run.spec()),
    facts: async (run) => (await ensure(run), workbench.facts(run.key)),
    next: async (run, history, o) => (await ensure(run), checked(o?.signal), workbench.next(run.key, history, trainingReporter(o?.onProgress))),
    evaluate: async (run, history, params, note, o) => (await ensure(run), checked(o?.signal), workbench.evaluate(run.key, history, params, note, trainingReporter(o?.onProgress))),
    diagnose: async (run, history, index) => (await ensure(run), workbench.diagnose(run.key, history, index)),
    look: async (run, history, index) => (await ensure(run), workbench.look(run.key, history, index)),
    syntheticCsv: async (run, history, index, csv) => (await ensure(run), workbench.syntheticCsv(run.key, history, index, csv)),
    report: async (run, history, stopped, name) => (await ensure(run), workbench.report(run.key, history, stopped, name)),
  };
}
