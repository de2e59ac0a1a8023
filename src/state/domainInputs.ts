import type { ChipRecord, ExperimentTarget } from '../engine/experiment/records';

/** One input as the user dropped it: what a new experiment stores. */
export interface InputFile {
  id: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
}

/**
 * What the page's experiment store needs of a domain's input panels (they live in the domain's folder,
 * src/domains/NAME/ui/, which the state layer may not import): what the next new experiment is made
 * of, and a way to show the inputs stored with the experiment that is open. The domain's views
 * register it (src/domains/views.ts).
 */
export interface DomainInputs {
  domainId: string;
  /** The target and inputs a new experiment would be created with now. */
  pending(): { target: ExperimentTarget['kind']; inputs: Record<string, readonly InputFile[]> };
  /** Shows the inputs stored with the opened experiment (it starts reading them at once). */
  showExperiment(experimentId: string, target: ExperimentTarget['kind'], stored: Record<'chips' | 'realImages', readonly ChipRecord[]>): void;
}

let active: DomainInputs | null = null;

/** Makes these the input panels of the page (the domain whose experiments the page creates). */
export function setActiveDomainInputs(inputs: DomainInputs): void {
  active = inputs;
}

export function activeDomainInputs(): DomainInputs {
  if (!active) throw new Error('no domain input panels are registered (src/domains/views.ts)');
  return active;
}
