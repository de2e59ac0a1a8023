import type { ConstrainedObservation } from '../../../engine/optimizer';
import type { Gate, GatePreset } from '../gates';
import type { Evaluation } from './evaluation';
import { gateConstraint } from './gateConstraints';

/**
 * Evaluations as the constrained optimizer's observations: objective = −utility (the engine minimises),
 * one constraint per gate that applies to the table (gateConstraints.ts). Whether a metric applies is a
 * property of the table, so the first evaluation decides it for all.
 *
 * A value the optimizer cannot take — a null utility, a NaN metric — is replaced by the worst finite
 * value of its column, plus 1 for a constraint (it failed: it must read as worse than any observed
 * failure), so one degenerate table does not stop the search.
 */
export function modelledGates(preset: GatePreset, evaluations: readonly Evaluation[]): Gate[] {
  if (evaluations.length === 0) return [];
  return preset.gates.filter((_, i) => evaluations[0].gates.gates[i].pass !== null);
}

function fillColumn(values: number[], worse: (finite: number[]) => number): number[] {
  const finite = values.filter(Number.isFinite);
  const fallback = worse(finite);
  return values.map((v) => (Number.isFinite(v) ? v : fallback));
}

export function toObservations(evaluations: readonly Evaluation[], gates: readonly Gate[]): ConstrainedObservation[] {
  const objective = fillColumn(
    evaluations.map((e) => (e.utility === null ? NaN : -e.utility)),
    (finite) => (finite.length ? Math.max(...finite) : 0),
  );
  const columns = gates.map((gate) =>
    fillColumn(
      evaluations.map((e) => {
        const value = e.metrics[gate.metric].value;
        return value === null ? NaN : gateConstraint(gate, value);
      }),
      (finite) => (finite.length ? Math.max(...finite, 0) + 1 : 1),
    ),
  );
  return evaluations.map((e, i) => ({ params: e.params, objective: objective[i], constraints: columns.map((c) => c[i]) }));
}
