import { defineSpace } from '../../../src/engine/space/space';

/** The default POC space (the default config's void space): one categorical, one integer, four continuous. */
export const voidSpace = defineSpace([
  { kind: 'categorical', name: 'void_shape', choices: ['circle', 'ellipse', 'irregular'] },
  { kind: 'integer', name: 'void_count', low: 3, high: 20 },
  { kind: 'continuous', name: 'base_size', low: 5, high: 40 },
  { kind: 'continuous', name: 'brightness_factor', low: 0.3, high: 0.8 },
  { kind: 'continuous', name: 'size_std', low: 0, high: 15 },
  { kind: 'continuous', name: 'position_spread', low: 0.1, high: 0.8 },
]);
