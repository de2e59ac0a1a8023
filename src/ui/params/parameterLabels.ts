import { DOMAINS } from '../../domains/registry';
import type { ParameterLabel } from '../../engine/domain';

/** Every domain's parameter labels by name (the domains' parameter names do not collide). */
const LABELS: ReadonlyMap<string, ParameterLabel> = new Map(DOMAINS.flatMap((d) => Object.entries(d.parameterLabels ?? {})));

/** A parameter's label, unit and help as its domain names it; any other parameter shows its config name. */
export function parameterLabel(name: string): ParameterLabel {
  return LABELS.get(name) ?? { label: name, help: name };
}
