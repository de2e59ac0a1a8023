import type { ParameterSet } from '../../../engine/space/space';
import type { Constraints } from '../constraints/types';
import type { GeneratedTable } from '../generators/generatedTable';
import { gaussianCopula } from '../generators/gaussianCopula';
import { jitter } from '../generators/jitter';
import { vae, type VaeOptions } from '../generators/vae';
import type { Table } from '../table';
import type { SettingsContext } from './settingsSpace';

/*
 * The generators called with a parameter set's settings: apart from settingsSpace.ts, which names and
 * describes the settings, so that the page can describe a set without loading the generators (the VAE's
 * tfjs above all).
 */

export interface GenerateRequest {
  rows: number;
  seed: number;
  constraints: Constraints;
  /** Called after each of the VAE's training passes (a worker reports progress with it); the other generators do not train. */
  onProgress?: VaeOptions['onProgress'];
}

/** Generates a synthetic table from train with the settings of a parameter set. */
export function generateWith(train: Table, params: ParameterSet, context: SettingsContext, request: GenerateRequest): GeneratedTable {
  const options = {
    rows: request.rows,
    seed: request.seed,
    constraints: request.constraints,
    classColumn: context.classColumn,
    classBalance: params.class_balance === undefined ? 0 : Number(params.class_balance),
  };
  if (params.generator === 'jitter') {
    return jitter(
      train,
      {
        k: Number(params.jitter_k),
        perClassMad: params.jitter_per_class_mad === 'yes',
        flipProbability: params.jitter_flip_probability === undefined ? 0 : Number(params.jitter_flip_probability),
      },
      options,
    );
  }
  if (params.generator === 'vae') {
    return vae(
      train,
      {
        epochs: Number(params.vae_epochs),
        latentSize: Number(params.vae_latent_size),
        klWeight: Number(params.vae_kl_weight),
        learningRate: Number(params.vae_learning_rate),
      },
      { ...options, onProgress: request.onProgress },
    );
  }
  return gaussianCopula(train, { shrinkage: Number(params.copula_shrinkage), bandwidth: Number(params.copula_bandwidth) }, options);
}
