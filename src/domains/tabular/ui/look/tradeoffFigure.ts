import { COLORS, formatNumber } from '../../../../ui/plots';
import { axis } from '../../../../ui/plots/theme';
import type { TradeoffPoint, UtilityPrivacy } from '../../views';
import type { Figure, Trace } from './figure';

const GREEN = '#2f9e44';

type Placed = TradeoffPoint & { utility: number; mia_auc: number };

function placed(points: readonly TradeoffPoint[]): Placed[] {
  return points.filter((p): p is Placed => p.utility !== null && p.mia_auc !== null && Number.isFinite(p.utility) && Number.isFinite(p.mia_auc));
}

function hoverText(p: Placed, best: number): string {
  return (
    `#${p.index} ${p.generator.replace('_', ' ')}${p.index === best ? ' (selected)' : ''}<br>` +
    `utility ${formatNumber(p.utility)} · MIA AUC ${formatNumber(p.mia_auc)} · DCR median ${formatNumber(p.dcr_median)}<br>${p.all_green ? 'all gates green' : 'some gate failed'}`
  );
}

/**
 * Every evaluation at (mia_auc, utility): failed ones as grey rings, all-green ones as green dots, the
 * feasible front joining the all-green ones no other beats on both, the selected one starred, and a
 * dotted line at AUC 0.5 (no leakage). Up and left is better.
 */
export function tradeoffFigure(u: UtilityPrivacy): Figure {
  const points = placed(u.points);
  const failed = points.filter((p) => !p.all_green);
  const green = points.filter((p) => p.all_green);
  const byIndex = new Map(points.map((p) => [p.index, p]));
  const front = u.front.map((i) => byIndex.get(i)).filter((p): p is Placed => p !== undefined);
  const best = byIndex.get(u.bestIndex);
  const marker = (name: string, set: Placed[], style: Record<string, unknown>, rank: number): Trace =>
    ({
      type: 'scatter',
      mode: 'markers',
      name,
      x: set.map((p) => p.mia_auc),
      y: set.map((p) => p.utility),
      text: set.map((p) => hoverText(p, u.bestIndex)),
      hovertemplate: '%{text}<extra></extra>',
      marker: style,
      legendrank: rank,
    }) as Trace;
  const utilities = points.length > 0 ? points.map((p) => p.utility) : [0, 1];
  const low = Math.min(...utilities);
  const high = Math.max(...utilities);
  const pad = (high - low) * 0.1 || 0.02;
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'AUC 0.5: no leakage',
      x: [0.5, 0.5],
      y: [low - pad, high + pad],
      line: { color: COLORS.floorLine, width: 1.2, dash: 'dot' },
      hoverinfo: 'skip',
      legendrank: 5,
    } as Trace,
    {
      type: 'scatter',
      mode: 'lines',
      name: 'feasible front',
      x: front.map((p) => p.mia_auc),
      y: front.map((p) => p.utility),
      line: { color: GREEN, width: 2 },
      hoverinfo: 'skip',
      legendrank: 3,
    } as Trace,
    marker(`not all green (${failed.length})`, failed, { color: COLORS.far, size: 9, symbol: 'circle-open', line: { color: COLORS.far, width: 1.6 } }, 2),
    marker(`all green (${green.length})`, green, { color: GREEN, size: 10, symbol: 'circle', line: { color: '#ffffff', width: 1 } }, 1),
  ];
  if (best) data.push(marker(`selected (#${best.index})`, [best], { color: COLORS.best, size: 20, symbol: 'star-open', line: { color: COLORS.best, width: 2 } }, 4));
  const aucs = [...points.map((p) => p.mia_auc), 0.5];
  const xLow = Math.min(...aucs);
  const xHigh = Math.max(...aucs);
  const xPad = (xHigh - xLow) * 0.08 || 0.02;
  return {
    data,
    layout: {
      xaxis: axis('MIA AUC (lower is more private)', { range: [xLow - xPad, xHigh + xPad], zeroline: false }),
      yaxis: axis('utility (higher is better)', { range: [low - pad, high + pad], zeroline: false }),
      hovermode: 'closest',
      showlegend: true,
      legend: { orientation: 'h' },
      margin: { l: 60, r: 12, t: 8, b: 48 },
    } as Figure['layout'],
  };
}

export function tradeoffSummary(u: UtilityPrivacy): string {
  const points = placed(u.points);
  if (points.length === 0) return 'No evaluation has both a utility and a MIA AUC yet.';
  const green = points.filter((p) => p.all_green).length;
  const missing = u.points.length - points.length;
  const parts = [`${points.length} evaluation${points.length === 1 ? '' : 's'}, ${green} all green${missing > 0 ? ` (${missing} without a utility or MIA AUC not shown)` : ''}.`];
  const byIndex = new Map(points.map((p) => [p.index, p]));
  const front = u.front.map((i) => byIndex.get(i)).filter((p): p is Placed => p !== undefined);
  if (front.length === 1) parts.push(`The feasible front is #${front[0].index} alone: no all-green evaluation beats it on both.`);
  else if (front.length > 1) {
    const first = front[0];
    const last = front[front.length - 1];
    parts.push(
      `The feasible front holds ${front.map((p) => `#${p.index}`).join(', ')}: utility from ${formatNumber(first.utility)} at MIA AUC ${formatNumber(first.mia_auc)} to ${formatNumber(last.utility)} at ${formatNumber(last.mia_auc)}.`,
    );
  } else parts.push('No evaluation is all green: there is no feasible front.');
  const best = byIndex.get(u.bestIndex);
  if (best) parts.push(`Selected: #${best.index} (utility ${formatNumber(best.utility)}, MIA AUC ${formatNumber(best.mia_auc)}).`);
  return parts.join(' ');
}
