import type { ComponentType } from 'react';
import { PAGE_DOMAIN } from '../domains/registry';
import { importedViews } from '../domains/imported/ui/views';
import { tabularViews } from '../domains/tabular/ui/views';
import { voidsViews } from '../domains/voids/ui/views';

export { PAGE_DOMAIN };
import type { DomainInputs } from '../state/domainInputs';
import { useExperimentStore } from '../state/experimentStore';
import { domainIdOf } from '../engine/experiment/records';

/** What every domain shows in the page; its components live in src/domains/NAME/ui/. */
interface CommonViews {
  domainId: string;
  /** The kind of experiment in the page's words (the kind picker). */
  label: string;
  /** One line under the label: what the user brings and what the page does. */
  hint: string;
  /** Sidebar panels below the run controls: the domain's inputs. */
  InputPanels: ComponentType;
  /** Below the results: the domain's own tools (voids: parameters and a preview). */
  Workbench?: ComponentType;
  /** What the results area says before there is anything to draw. */
  emptyResults: string;
  /** The domain's own results area, in place of the shared one (tables: evaluations, diagnosis, plots). */
  Results?: ComponentType;
}

/** A domain whose samples the page generates: the Run panel drives it (iteration 0, Step, Auto-run). */
export interface RunDomainViews extends CommonViews {
  kind: 'run';
  /** The domain's input panels as the experiment store sees them (what a new experiment is made of). */
  inputs: DomainInputs;
  /** Starts what the inputs need when the page opens (voids: the demo chips). */
  start(): void;
  /** Whether a new experiment could start now (a hook). */
  useInputsReady(): boolean;
  /** Why it cannot yet, for the Run button's tooltip. */
  waitingForInputs: string;
  /** Inside the Run panel: the target and the real set. */
  TargetPanel: ComponentType<{ running: boolean }>;
}

/** A domain whose client generates (ask/tell): its own controls take the Run panel's place. */
export interface StudyDomainViews extends CommonViews {
  kind: 'study';
  Controls: ComponentType;
}

export type DomainViews = RunDomainViews | StudyDomainViews;

/** The views of every domain the page can show, in the kind picker's order. Adding a domain's views is one line here. */
export const DOMAIN_VIEWS: Readonly<Record<string, DomainViews>> = { voids: voidsViews, imported: importedViews, tabular: tabularViews };

/** The views of the open experiment's domain (the chosen kind of a new one when none is open). */
export function useDomainViews(): DomainViews {
  const domain = useExperimentStore((s) => (s.current ? domainIdOf(s.current) : s.draftDomain));
  return DOMAIN_VIEWS[domain] ?? DOMAIN_VIEWS[PAGE_DOMAIN];
}
