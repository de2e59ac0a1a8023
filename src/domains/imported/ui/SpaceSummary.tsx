import type { ParameterSpace, ParameterSpec } from '../../../engine/space/space';

/** A parameter's range in words: `float 0.3 – 0.8 (log)`, `int 3 – 20`, `circle | ellipse`. */
export function describeParameter(p: ParameterSpec): string {
  if (p.kind === 'categorical') return p.choices.join(' | ');
  const type = p.kind === 'integer' ? 'int' : 'float';
  return `${type} ${p.low === p.high ? `fixed at ${p.low}` : `${p.low} – ${p.high}`}${p.log ? ' (log)' : ''}`;
}

/** The parameters of a space, one row each, in column order. */
export function SpaceSummary({ space }: { space: ParameterSpace }) {
  return (
    <table className="study-table" aria-label="Parameters">
      <tbody>
        {space.parameters.map((p) => (
          <tr key={p.name}>
            <th scope="row">{p.name}</th>
            <td>{describeParameter(p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
