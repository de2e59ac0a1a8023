import { categoryOf, integerLevelOf, type SpaceLayout } from '../encoding';

/**
 * Points a proposal must not repeat: the evaluated and pending parameter sets, and the proposals already
 * in the batch. Two points are the same when every categorical level and integer value agree and every
 * continuous coordinate differs by less than `tolerance` of its range — a proposal 1e-9 away from an
 * evaluated set is a duplicate in all but name (and would make the kernel matrix near-singular).
 */
export class ExclusionSet {
  private readonly buckets = new Map<string, Float64Array[]>();
  private count = 0;

  constructor(
    private readonly layout: SpaceLayout,
    private readonly tolerance = 1e-6,
  ) {}

  get size(): number {
    return this.count;
  }

  private discreteKey(x: ArrayLike<number>): string {
    const parts: number[] = [];
    for (const p of this.layout.parameters) {
      if (p.kind === 'categorical') parts.push(categoryOf(x, p));
      else if (p.kind === 'integer') parts.push(integerLevelOf(x[p.column], p));
    }
    return parts.join(',');
  }

  private continuousPart(x: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.layout.continuousColumns, (c) => x[c]);
  }

  add(x: ArrayLike<number>): void {
    const key = this.discreteKey(x);
    const bucket = this.buckets.get(key);
    const part = this.continuousPart(x);
    if (bucket) bucket.push(part);
    else this.buckets.set(key, [part]);
    this.count++;
  }

  has(x: ArrayLike<number>): boolean {
    const bucket = this.buckets.get(this.discreteKey(x));
    if (!bucket) return false;
    const part = this.continuousPart(x);
    return bucket.some((other) => {
      for (let i = 0; i < part.length; i++) if (Math.abs(part[i] - other[i]) >= this.tolerance) return false;
      return true;
    });
  }
}
