import { useMemo, useState } from 'react';
import { spaceToYaml } from '../../../engine/space/spaceFile';
import { useExperimentStore } from '../../../state/experimentStore';
import { useStudyStore } from '../../../state/studyStore';
import { importedDomain } from '../domain';
import { SpaceSummary } from './SpaceSummary';

/**
 * The open study's parameter space, and its edit: widen or narrow bounds, fix a parameter (low = high),
 * add choices, or add a parameter with `value:` (what earlier sets had). The study service checks the
 * edit and refuses what would lose meaning (removing, renaming or retyping a parameter).
 */
export function SpacePanel() {
  const current = useExperimentStore((s) => s.current);
  const busy = useStudyStore((s) => s.busy !== null);
  const editSpace = useStudyStore((s) => s.editSpace);
  const space = useMemo(() => (current?.domain === importedDomain.id ? importedDomain.space(current.config) : null), [current]);
  const [draft, setDraft] = useState<string | null>(null);
  if (!current || !space) return null;
  return (
    <section className="panel" aria-label="Parameter space">
      <h2>Parameter space</h2>
      {draft === null ? (
        <>
          <SpaceSummary space={space} />
          <button type="button" className="button button--small" disabled={busy} onClick={() => setDraft(spaceToYaml(space))}>
            Edit space
          </button>
        </>
      ) : (
        <>
          <p className="panel__note">Widen or narrow bounds, fix one (low = high), add choices, or add a parameter with “value:”, the value your earlier sets had.</p>
          <textarea className="study-yaml" aria-label="Edited parameter space" spellCheck={false} rows={Math.min(12, space.parameters.length + 3)} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <div className="button-row">
            <button type="button" className="button button--small" disabled={busy} onClick={() => void editSpace(draft).then((ok) => ok && setDraft(null))}>
              Apply
            </button>
            <button type="button" className="button button--small button--ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </>
      )}
    </section>
  );
}
