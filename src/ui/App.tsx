import { useEffect } from 'react';
import { useChipsStore } from '../state/chipsStore';
import { useExperimentStore } from '../state/experimentStore';
import { BaseChipsPanel } from './chips/BaseChipsPanel';
import { ConfigPanel } from './config/ConfigPanel';
import { ModelPanel } from './model/ModelPanel';
import { warmUpPlotly } from './plots';
import { GeneratorPanel } from './params/GeneratorPanel';
import { PreviewPanel } from './preview/PreviewPanel';
import { ExperimentsPanel } from './run/ExperimentsPanel';
import { ResultsView } from './run/ResultsView';
import { RunPanel } from './run/RunPanel';

export function App() {
  const loadDemoChips = useChipsStore((s) => s.loadDemoChips);
  useEffect(() => {
    if (useChipsStore.getState().status === 'idle') void loadDemoChips();
    if (!useExperimentStore.getState().ready) void useExperimentStore.getState().init();
    // Parsing plotly.js (≈ 3.5 MB) is one long main-thread task, and its first draw of each chart kind
    // compiles its drawing code: do both while the page is idle after opening, not at the first plot in
    // the middle of a run.
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 1500));
    idle(() => void warmUpPlotly());
  }, [loadDemoChips]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Latent Calibration Studio</h1>
        <p className="app-header__tagline">Synthetic X-ray voids, calibrated against real ones in DINOv2 feature space — entirely in your browser.</p>
      </header>
      <div className="layout">
        <aside className="sidebar" aria-label="Inputs">
          <RunPanel />
          <BaseChipsPanel />
          <ModelPanel />
          <ConfigPanel />
          <ExperimentsPanel />
        </aside>
        <main className="main">
          <ResultsView />
          <div className="preview-layout">
            <GeneratorPanel />
            <PreviewPanel />
          </div>
        </main>
      </div>
    </div>
  );
}
