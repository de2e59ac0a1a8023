import { GeneratorPool } from '../runtime/generatorPool';

/** The app's one generator pool; its workers start on first use. */
let pool: GeneratorPool | null = null;
export function generatorPool(): GeneratorPool {
  pool ??= new GeneratorPool();
  return pool;
}
