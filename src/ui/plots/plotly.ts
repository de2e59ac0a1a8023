import { useEffect, useState } from 'react';
import type PlotlyDefault from 'plotly.js-dist-min';

/** The plotly.js API object (newPlot, react, purge, Plots.resize, …). */
export type PlotlyModule = typeof PlotlyDefault;

let pending: Promise<PlotlyModule> | null = null;
let loaded: PlotlyModule | null = null;

/**
 * Loads plotly.js-dist-min (≈ 3.5 MB) on first use, as its own chunk, so the page's first paint never
 * waits for it. One load per page; a failed load can be retried.
 */
export function loadPlotly(): Promise<PlotlyModule> {
  if (!pending) {
    pending = import('plotly.js-dist-min').then((m) => {
      // The bundle is UMD: depending on the interop, the API is the namespace's default or the namespace.
      const ns = m as unknown as { default?: PlotlyModule } & PlotlyModule;
      loaded = ns.default && typeof ns.default.react === 'function' ? ns.default : ns;
      return loaded;
    });
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

export interface PlotlyState {
  plotly: PlotlyModule | null;
  error: string | null;
}

/** The lazily loaded plotly.js API; null until it has arrived (immediately non-null once loaded). */
export function usePlotly(): PlotlyState {
  const [state, setState] = useState<PlotlyState>(() => ({ plotly: loaded, error: null }));
  useEffect(() => {
    if (state.plotly) return;
    let live = true;
    loadPlotly().then(
      (plotly) => live && setState({ plotly, error: null }),
      (e: unknown) => live && setState({ plotly: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [state.plotly]);
  return state;
}
