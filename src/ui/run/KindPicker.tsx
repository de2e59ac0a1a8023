import { useExperimentStore } from '../../state/experimentStore';
import { DOMAIN_VIEWS, useDomainViews } from '../domainViews';

/**
 * What kind of experiment the page shows: one generated here (voids), a study of the user's own
 * generator (ask/tell), or a table calibration; the chosen kind's one-line description under the choices. Picking another kind than the open experiment's closes it (it stays stored)
 * and shows what a new one of that kind needs.
 */
export function KindPicker() {
  const views = useDomainViews();
  const running = useExperimentStore((s) => s.run !== 'idle');
  const startNew = useExperimentStore((s) => s.startNew);
  return (
    <fieldset className="kind-picker" disabled={running}>
      <legend className="visually-hidden">Kind of experiment</legend>
      {Object.values(DOMAIN_VIEWS).map((v) => (
        <label key={v.domainId} className={`kind-picker__option${v.domainId === views.domainId ? ' kind-picker__option--on' : ''}`} title={v.hint}>
          <input type="radio" name="experiment-kind" className="visually-hidden" aria-label={v.label} checked={v.domainId === views.domainId} onChange={() => startNew(v.domainId)} />
          <span className="kind-picker__label">{v.label}</span>
        </label>
      ))}
      <p className="kind-picker__about">{views.hint}</p>
    </fieldset>
  );
}
