import type { StudyDomainViews } from '../../../ui/domainViews';
import { useExperimentStore } from '../../../state/experimentStore';
import { NewStudyForm } from './NewStudyForm';
import { SpacePanel } from './SpacePanel';
import { StudyPanel } from './StudyPanel';

/** The create form while no study is open, its ask/tell loop once one is. */
function StudyControls() {
  const open = useExperimentStore((s) => s.current !== null);
  return open ? <StudyPanel /> : <NewStudyForm />;
}

/** Bring your own generator in the page: a study's space, real vectors and ask/tell. */
export const importedViews: StudyDomainViews = {
  kind: 'study',
  domainId: 'imported',
  label: 'Your own generator',
  hint: 'Any parameter space; you upload the embeddings of what your generator made (ask/tell).',
  emptyResults:
    'Propose the initial design (or start from your own batch), run your generator and encoder on the sets, and upload the results. The 2-D map and the kernel are fixed from iteration 0 when you ask for the first model-based batch: from then on every upload is scored and placed on the map.',
  Controls: StudyControls,
  InputPanels: SpacePanel,
};
