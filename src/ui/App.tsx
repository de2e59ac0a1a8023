import { useEffect } from 'react';
import { useChipsStore } from '../state/chipsStore';
import { useExperimentStore } from '../state/experimentStore';
import { BaseChipsPanel } from './chips/BaseChipsPanel';
import { ConfigPanel } from './config/ConfigPanel';
import { ModelPanel } from './model/ModelPanel';
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
