import { useEffect } from 'react';
import { useChipsStore } from '../state/chipsStore';
import { BaseChipsPanel } from './chips/BaseChipsPanel';
import { ConfigPanel } from './config/ConfigPanel';
import { ModelPanel } from './model/ModelPanel';
import { GeneratorPanel } from './params/GeneratorPanel';
import { PreviewPanel } from './preview/PreviewPanel';

export function App() {
  const loadDemoChips = useChipsStore((s) => s.loadDemoChips);
  useEffect(() => {
    if (useChipsStore.getState().status === 'idle') void loadDemoChips();
  }, [loadDemoChips]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Latent Calibration Studio</h1>
        <p className="app-header__tagline">Synthetic X-ray voids, calibrated against real ones in DINOv2 feature space — entirely in your browser.</p>
      </header>
      <div className="layout">
        <aside className="sidebar" aria-label="Inputs">
          <BaseChipsPanel />
          <GeneratorPanel />
          <ModelPanel />
          <ConfigPanel />
        </aside>
        <main className="main">
          <PreviewPanel />
        </main>
      </div>
    </div>
  );
}
