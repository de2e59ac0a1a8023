import { useEffect } from 'react';
import { setActiveDomainInputs } from '../state/domainInputs';
import { useExperimentStore } from '../state/experimentStore';
import { ConfigPanel } from './config/ConfigPanel';
import { DOMAIN_VIEWS, PAGE_DOMAIN, useDomainViews } from './domainViews';
import { ModelPanel } from './model/ModelPanel';
import { warmUpPlotly } from './plots';
import { ExperimentsPanel } from './run/ExperimentsPanel';
import { ResultsView } from './run/ResultsView';
import { RunPanel } from './run/RunPanel';
import { KindPicker } from './run/KindPicker';

export function App() {
  const views = useDomainViews();
  useEffect(() => {
    const page = DOMAIN_VIEWS[PAGE_DOMAIN];
    // The input panels are registered before the store opens an experiment: it shows them its inputs.
    if (page.kind === 'run') {
      setActiveDomainInputs(page.inputs);
      page.start();
    }
    if (!useExperimentStore.getState().ready) void useExperimentStore.getState().init();
    // Parsing plotly.js (≈ 3.5 MB) is one long main-thread task, and its first draw of each chart kind
    // compiles its drawing code: do both while the page is idle after opening, not at the first plot in
    // the middle of a run.
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 1500));
    idle(() => void warmUpPlotly());
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Latent Calibration Studio</h1>
        <p className="app-header__tagline">Generator settings calibrated until synthetic samples sit on the real ones in a model's feature space — entirely in your browser.</p>
      </header>
      <div className="layout">
        <aside className="sidebar" aria-label="Inputs">
          <KindPicker />
          {views.kind === 'run' ? <RunPanel views={views} /> : <views.Controls />}
          <views.InputPanels />
          {views.kind === 'run' && (
            <>
              <ModelPanel />
              <ConfigPanel />
            </>
          )}
          <ExperimentsPanel />
        </aside>
        <main className="main">
          {views.Results ? <views.Results /> : <ResultsView />}
          {views.Workbench && <views.Workbench />}
        </main>
      </div>
    </div>
  );
}
