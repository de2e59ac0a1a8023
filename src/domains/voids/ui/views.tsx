import type { RunDomainViews } from '../../../ui/domainViews';
import { BaseChipsPanel } from './BaseChipsPanel';
import { GeneratorPanel } from './GeneratorPanel';
import { PreviewPanel } from './PreviewPanel';
import { TargetPanel } from './TargetPanel';
import { useChipsStore } from './state/chipsStore';
import { useRealImagesStore } from './state/realImagesStore';

const asInput = (c: { id: string; bytes: ArrayBuffer; width: number; height: number }) => ({ id: c.id, bytes: c.bytes, width: c.width, height: c.height });

/** Workbench of the void domain: the six parameters and a preview grid of their replications. */
function VoidsWorkbench() {
  return (
    <div className="preview-layout">
      <GeneratorPanel />
      <PreviewPanel />
    </div>
  );
}

/** The void domain in the page: base chips and real images as inputs, the parameter preview. */
export const voidsViews: RunDomainViews = {
  kind: 'run',
  domainId: 'voids',
  label: 'X-ray voids',
  hint: 'Voids painted on base chips here, embedded with DINOv2 in this tab.',
  emptyResults:
    'Press “Run iteration 0”: it draws the real, close and far parameter sets, generates and embeds their images, fixes the 2-D map and the kernel bandwidth, and scores close and far against the real set. Then “Step” runs one optimizer iteration, “Auto-run” runs until the synthetic set reaches the noise floor, stops improving or the budget ends.',
  inputs: {
    domainId: 'voids',
    pending() {
      const real = useRealImagesStore.getState();
      return { target: real.target, inputs: { chips: useChipsStore.getState().chips.map(asInput), realImages: real.images.map(asInput) } };
    },
    showExperiment(experimentId, target, stored) {
      void useChipsStore.getState().showExperimentChips(experimentId, stored.chips);
      void useRealImagesStore.getState().showExperimentImages(experimentId, target, stored.realImages);
    },
  },
  start() {
    if (useChipsStore.getState().status === 'idle') void useChipsStore.getState().loadDemoChips();
  },
  useInputsReady: () => useChipsStore((c) => c.status === 'ready' && c.chips.length > 0),
  waitingForInputs: 'Waiting for the base chips',
  TargetPanel,
  InputPanels: BaseChipsPanel,
  Workbench: VoidsWorkbench,
};
