import type { ExperimentRecord } from '../../engine/experiment/records';
import { CHIPS_DIR, CONFIG_PATH, DOMAIN_DIR, experimentDir, ITERATION_FILES, REAL_IMAGES_DIR, TABLES_DIR } from './layout';
import type { ArchiveExtent } from './writeArchive';

/** The lines on the real tables and the domain's files, only when the archive has them (an image domain's README is as before). */
function extentLines({ tables = [], domainFiles = [] }: ArchiveExtent): string {
  let lines = '';
  if (tables.length > 0) lines += `${TABLES_DIR}/                   the real table as dropped (${tables.map((t) => t.split('/').pop()).join(', ')})\n`;
  if (domainFiles.length > 0) {
    lines += `${DOMAIN_DIR}/                        the domain's own files, to open directly (import reads none of them):\n`;
    for (const path of domainFiles) lines += `  ${path.slice(DOMAIN_DIR.length + 1)}\n`;
  }
  return lines;
}

/** The note on a domain's own per-iteration record, for an archive with tables or domain files (an image domain's README is as before). */
function extentNote({ tables = [], domainFiles = [] }: ArchiveExtent): string {
  if (tables.length === 0 && domainFiles.length === 0) return '';
  return `- A domain that keeps its own record of each iteration (a table calibration: the evaluation, with its settings,
  metrics and gates) stores it as \`iterations[].detail\` in \`history.json\`, in the JSON described above; its iteration
  folders hold no samples (empty \`.npy\` files and lists).
`;
}

/** README.md of an archive: the layout, the formats, and a numpy snippet that loads it. */
export function archiveReadme(experiment: ExperimentRecord, iterationNumbers: readonly number[], projectionKind: 'pca' | 'umap' | null, extent: ArchiveExtent = {}): string {
  const dir = experimentDir(experiment.id);
  const last = iterationNumbers.length > 0 ? iterationNumbers[iterationNumbers.length - 1] : 0;
  const modelFile = projectionKind ? `${projectionKind}_model.json` : 'pca_model.json';
  return `# ${experiment.name}

Exported by Latent Calibration Studio (experiment \`${experiment.id}\`, last updated ${experiment.updatedAt}).
The folder layout is the one of the synthetic-data optimizer's Python pipeline, so its scripts read this archive:

\`\`\`
manifest.json                 tool, versions, counts and the byte size of every other file
report.html                   self-contained report: latent map, convergence, best parameters
${CONFIG_PATH}  the experiment configuration (the Python pipeline's keys)
${CHIPS_DIR}/               the base chip images the run drew from
${REAL_IMAGES_DIR}/              the user's own real images as dropped (when the target is the user's images)
${extentLines(extent)}${dir}/
  experiment.json             the experiment record (target, embedder, scoring choices, chip list)
  history.json                per iteration: observations, scores with noise floors, recommendations, convergence
  recipe.yaml                 the distribution recipe (when one was computed): settings, weights, image counts
  iteration_{n}/              n = ${iterationNumbers.join(', ') || '(none yet)'}
    images/{sample_id}.png    the generated (or real) images
    ${ITERATION_FILES.embeddings}            float32 (n_samples, d): the embeddings as scored
    ${ITERATION_FILES.rawEmbeddings}        float32 (n_samples, d): before L2 normalisation
    ${ITERATION_FILES.projection2d}                float64 (n_samples, 2): position in the fixed 2-D map (NaN = not projected)
    ${ITERATION_FILES.metadata}           the metadata records (the Python pipeline's keys), one per row of the .npy files
    ${ITERATION_FILES.samples}            image file, size, nearest-real distance and void geometry per row
  iteration_0/${modelFile}     the projection fitted once at iteration 0
\`\`\`

Rows of every \`.npy\` file are in the order of \`metadata.json\` (sorted by sample_id).

## Loading with numpy

\`\`\`python
import json
import numpy as np

it = "${dir}/iteration_${last}"
X = np.load(f"{it}/${ITERATION_FILES.embeddings}")          # (n, d) float32
xy = np.load(f"{it}/${ITERATION_FILES.projection2d}")           # (n, 2) float64
meta = json.load(open(f"{it}/${ITERATION_FILES.metadata}"))
types = np.array([m["dataset_type"] for m in meta])
print(X.shape, xy.shape, dict(zip(*np.unique(types, return_counts=True))))

# The real set is iteration 0's rows with dataset_type "real"
meta0 = json.load(open("${dir}/iteration_0/${ITERATION_FILES.metadata}"))
real = np.load("${dir}/iteration_0/${ITERATION_FILES.embeddings}")[[m["dataset_type"] == "real" for m in meta0]]

# The fixed PCA map (when the map is PCA): x_2d = (x - mean) @ components.T, as sklearn's transform
pca = json.load(open("${dir}/iteration_0/pca_model.json"))
mean, components = np.array(pca["mean"]), np.array(pca["components"])
print(np.nanmax(np.abs((X - mean) @ components.T - xy)))  # ~1e-6: float32 embeddings, float64 map
\`\`\`

## Notes

- The projection model is JSON (\`${modelFile}\`) rather than the Python pipeline's pickle: a browser cannot write
  a scikit-learn pickle, and JSON loads anywhere without executing code. Its field names follow
  sklearn.decomposition.PCA (\`mean\`, \`components\`, \`explainedVariance\` = \`explained_variance_\`).
- JSON files use plain JSON, except that NaN/Infinity are written as \`{"$number": "NaN"}\` and typed
  arrays as \`{"$typed": "Float64Array", "values": [...]}\` so the app can read back exactly what it wrote.
- \`history.json\` has flat \`summary\` and \`observations\` lists (load with \`pandas.DataFrame\`) and the
  full per-iteration records under \`iterations\`.
- An iteration whose rows have dataset_type "confirmation" is a confirmation: fresh samples of the best
  parameter set (or of the distribution recipe's sets, in its proportions) tested against the real set. Its verdict, numbers and statement are the iteration
  record's \`confirmation\` in \`history.json\` (and \`summary[].confirmation_statement\`, with
  \`summary[].confirmation_trigger\`: "threshold" or "user" for the best set, "recipe" for the recipe).
- Each proposal in \`history.json\` carries its plausible region (\`iterations[].proposal.region\`): the share of
  the space where the model gives P(score ≤ δ) above one half, and per parameter an interval, a density and
  whether the embeddings pin it down. \`plausible_region\` is the latest one as a table (parameter, best,
  interval, identifiable); a parameter whose interval covers 80 % of its range or more is not identifiable.
- \`recipe.yaml\` is the distribution recipe: weights over the scored settings whose pooled images are
  closest to the real set (MMD², fixed kernel), with how many images of each to generate. The full record,
  with its MMD² beside the best single setting's and δ, and its confirmation once generated, is
  \`experiment.recipe\` in \`experiment.json\`; a recipe confirmation's iteration has rows of dataset_type
  "confirmation" from several parameter sets.
- The app imports this ZIP again ("Import ZIP") after checking every file against \`manifest.json\`;
  it reads the records from experiment.json, history.json and the iteration folders, and checks that
  the YAML config agrees with experiment.json.
${extentNote(extent)}`;
}
