import type { Domain, DomainJob } from '../engine/domain';
import type { ExperimentRecord } from '../engine/experiment/records';
import type { PreprocessSpec } from '../embedders/preprocess';
import type { GeneratorPool, HostedSample } from './generatorPool';

export type { HostedSample };

/**
 * A domain's generator runs in the page's generator worker pool: the workers hold the experiment's
 * decoded inputs (base chips), one worker per core paints in parallel, and image samples come back
 * with their PNG. A domain without a generator gets its samples from the client (ask/tell).
 */
export async function generateInPage(
  pool: () => GeneratorPool,
  experiment: ExperimentRecord,
  domain: Domain,
  jobs: readonly DomainJob[],
  call: { signal?: AbortSignal; prepareFor?: PreprocessSpec },
): Promise<HostedSample[]> {
  if (!domain.generate) throw new Error(`the ${domain.label} domain has no generator: its samples come from the client (ask/tell)`);
  const prepareFor = domain.observation === 'image' ? call.prepareFor : undefined;
  return pool().generate(domain.id, jobs, { config: experiment.config, encodePng: domain.observation === 'image', signal: call.signal, prepareFor });
}
