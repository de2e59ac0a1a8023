import type { RecipeRecord } from '../../engine/experiment/recipeRecord';
import type { ParameterSpace } from '../../engine/space/space';
import { parameterLabel } from '../params/parameterLabels';
import { formatNumber, formatParam, formatPercent } from '../plots/theme';
import '../plots/plots.css';

export interface RecipeCardProps {
  recipe: RecipeRecord | null;
  space: ParameterSpace;
  /** Scored sets exist: a recipe can be computed. */
  canCompute: boolean;
  /** The page can generate the recipe (a domain it generates; a study's client generates its own). */
  canGenerate: boolean;
  busy: boolean;
  onCompute(): void;
  onConfirm(): void;
  onDownload(): void;
}

/**
 * The distribution recipe: when no single setting reproduces the real set (a real defect population is
 * often a mixture), the weights on the scored settings whose pooled samples sit closest to it — from the
 * stored embeddings, no new generator runs — with its MMD² beside the best single setting's and δ,
 * images per setting for the confirmation's total, the YAML a generator follows, and its confirmation
 * once generated.
 */
export function RecipeCard({ recipe, space, canCompute, canGenerate, busy, onCompute, onConfirm, onDownload }: RecipeCardProps) {
  if (!recipe) {
    return (
      <section className="viz-tablebox" aria-label="Distribution recipe">
        <h3 className="viz-figure__title">Distribution recipe</h3>
        <p className="viz-figure__summary">
          A mixture of the scored settings can match a real set that no single setting reproduces. Computing it reads the stored embeddings only; no images are generated.
        </p>
        <div className="button-row">
          <button type="button" className="button button--small" disabled={!canCompute || busy} onClick={onCompute}>
            Compute the recipe
          </button>
        </div>
      </section>
    );
  }
  const better = recipe.mmd2Unbiased < recipe.bestSingle.mmd2Unbiased;
  const confirmation = recipe.confirmation;
  return (
    <section className="viz-tablebox" aria-label="Distribution recipe">
      <h3 className="viz-figure__title">Distribution recipe ({recipe.sets.length} setting{recipe.sets.length === 1 ? '' : 's'} of {recipe.candidates}, through iteration {recipe.throughIteration})</h3>
      <p className="viz-figure__summary">
        Mixture MMD² {formatNumber(recipe.mmd2Unbiased)} against the best single setting's {formatNumber(recipe.bestSingle.mmd2Unbiased)} ({recipe.bestSingle.param_set_id}) and δ ={' '}
        {formatNumber(recipe.floor.delta)} at {recipe.floor.m} vs {recipe.floor.n}: {better ? 'the mixture is closer to the real set' : 'the best single setting is as close as any mixture'}. Counts are for {recipe.total} images.
      </p>
      <div className="viz-tablewrap">
        <table className="viz-table" aria-label="Recipe settings">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {space.parameters.map((p) => (
                <th scope="col" key={p.name}>
                  {parameterLabel(p.name).label}
                </th>
              ))}
              <th scope="col">Weight</th>
              <th scope="col" className="viz-num">
                Images
              </th>
            </tr>
          </thead>
          <tbody>
            {recipe.sets.map((s) => (
              <tr key={s.param_set_id}>
                <th scope="row">{s.param_set_id}</th>
                {space.parameters.map((p) => (
                  <td key={p.name} className={typeof s.params[p.name] === 'number' ? 'viz-num' : undefined}>
                    {formatParam(s.params[p.name])}
                  </td>
                ))}
                <td>
                  <span className="recipe__weight" style={{ width: `${Math.round(s.weight * 80)}px` }} />
                  {formatPercent(s.weight, 1)}
                </td>
                <td className="viz-num">{s.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirmation && (
        <p className={`recipe__confirmation confirmation--${confirmation.verdict === 'indistinguishable' ? 'ok' : confirmation.verdict === 'distinguishable' ? 'bad' : 'unsure'}`} data-verdict={confirmation.verdict}>
          Generated and tested (iteration {confirmation.iteration}): {confirmation.statement}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button button--small" onClick={onDownload}>
          Download recipe.yaml
        </button>
        {canGenerate && (
          <button type="button" className="button button--small" disabled={busy} onClick={onConfirm}>
            Generate and confirm the recipe ({recipe.total} images)
          </button>
        )}
        <button type="button" className="button button--small button--ghost" disabled={!canCompute || busy} onClick={onCompute}>
          Recompute
        </button>
      </div>
    </section>
  );
}
