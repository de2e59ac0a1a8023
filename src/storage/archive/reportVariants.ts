import type { VariantComparisonRecord } from '../../engine/experiment/records';
import { escapeXml, formatNumber } from './svgPlots';

/**
 * report.html's "Model variants" entry: the latest "Compare model variants" of the experiment — which
 * two variants, on how many images, the cosines, the MMD² against the floor share, and the verdict.
 */
export function variantComparisonSection(comparison: VariantComparisonRecord | undefined): string {
  if (!comparison) return '<dt>Model variants</dt><dd>not compared: the embeddings come from the model named above only</dd>';
  const c = comparison;
  const images = `${c.images.real} real${c.images.iteration0 ? ` + ${c.images.iteration0} iteration-0` : ''} images`;
  const text =
    `${c.reference.label} (${c.reference.precision}, ${c.reference.backend}) vs ${c.candidate.label} (${c.candidate.precision}, ${c.candidate.backend}) on ${images}, ${c.comparedAt}: ` +
    `${c.statement}. Cosine per image: min ${formatNumber(c.cosine.min)}, median ${formatNumber(c.cosine.median)}. ` +
    `MMD² ${formatNumber(c.mmd2)} against ${Math.round(c.share * 100)} % of the floor ${formatNumber(c.floor)} = ${formatNumber(c.share * c.floor)} (σ = ${formatNumber(c.bandwidth)}; floor: ${c.floorSource}).`;
  return `<dt>Model variants</dt><dd>${escapeXml(text)}</dd>`;
}
