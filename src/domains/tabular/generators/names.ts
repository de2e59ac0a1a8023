/**
 * The generators a table calibration can search, in the order the settings space lists them. Kept apart
 * from the generators themselves so that the page can name them without loading tfjs (the VAE's).
 */
export const GENERATOR_NAMES = ['jitter', 'gaussian_copula', 'vae'] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];
