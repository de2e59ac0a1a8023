import type { ComponentType } from 'react';
import { PAGE_DOMAIN } from '../domains/registry';
import { voidsViews } from '../domains/voids/ui/views';

export { PAGE_DOMAIN };
import type { DomainInputs } from '../state/domainInputs';
import { useExperimentStore } from '../state/experimentStore';

/** What a domain shows in the page; its components live in src/domains/NAME/ui/. */
export interface DomainViews {
  domainId: string;
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
  /** Sidebar panels below the Run panel: the domain's inputs. */
  InputPanels: ComponentType;
  /** Below the results: the domain's own tools (voids: parameters and a preview). */
  Workbench?: ComponentType;
}

/** The views of every domain the page can show. Adding a domain's views is one line here. */
export const DOMAIN_VIEWS: Readonly<Record<string, DomainViews>> = { voids: voidsViews };


/** The views of the open experiment's domain (the page's domain when none is open). */
export function useDomainViews(): DomainViews {
  const domain = useExperimentStore((s) => s.current?.domain ?? PAGE_DOMAIN);
  return DOMAIN_VIEWS[domain] ?? DOMAIN_VIEWS[PAGE_DOMAIN];
}
