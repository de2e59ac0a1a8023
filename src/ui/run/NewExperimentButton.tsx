import { useExperimentStore } from '../../state/experimentStore';

/**
 * "New experiment with the current inputs", beside inputs that were changed for the next experiment
 * while the open experiment has not run yet: its Run iteration 0 runs the inputs stored with it, so
 * without this button the changed inputs could not be used. (Once it has run, the Run panel offers it.)
 */
export function NewExperimentButton() {
  const shown = useExperimentStore((s) => s.current !== null && s.iterations.length === 0 && s.run === 'idle');
  const newExperiment = useExperimentStore((s) => s.newExperiment);
  if (!shown) return null;
  return (
    <button type="button" className="button button--ghost button--small" onClick={() => void newExperiment()}>
      New experiment with the current inputs
    </button>
  );
}
