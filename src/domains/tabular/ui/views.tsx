import type { StudyDomainViews } from '../../../ui/domainViews';
import { useExperimentStore } from '../../../state/experimentStore';
import { CalibrationPanel } from './CalibrationPanel';
import { ExportPanel } from './ExportPanel';
import { NewTableForm } from './NewTableForm';
import { TableResults } from './TableResults';

/** The new-calibration form while none is open, its run controls once one is. */
function TableControls() {
  const open = useExperimentStore((s) => s.current?.domain === 'tabular');
  return open ? <CalibrationPanel /> : <NewTableForm />;
}

/** Synthetic tables in the page: drop a CSV, review it, optimise to all green, look, export. */
export const tabularViews: StudyDomainViews = {
  kind: 'study',
  domainId: 'tabular',
  label: 'Synthetic tables',
  hint: 'A CSV in: generator settings tuned until a synthetic table passes fidelity, physics and privacy gates.',
  emptyResults: 'Drop a CSV or pick an example table.',
  Controls: TableControls,
  InputPanels: ExportPanel,
  Results: TableResults,
};
