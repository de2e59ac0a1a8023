import { dirname, join, relative, sep } from 'node:path';

/**
 * The direction of dependencies between the folders of src/ (docs/architecture.md):
 *   ui → state → app → runtime / storage / domains / embedders → engine
 * Each layer lists the layers it may import from (besides itself). A domain never imports another
 * domain; the domain registry (src/domains/registry.ts) is the one file that imports them all. A
 * domain's views (src/domains/NAME/ui/) are UI: they may use the shared UI and the state views.
 */
const SERVICES = ['runtime', 'storage', 'domains', 'registry', 'embedders', 'engine', 'core'];
export const ALLOWED = {
  engine: [],
  core: ['engine'],
  embedders: ['engine'],
  storage: ['engine', 'core'],
  domains: ['engine', 'embedders', 'core'],
  runtime: ['engine', 'embedders', 'domains', 'registry', 'storage', 'core'],
  app: [...SERVICES],
  cli: ['app', ...SERVICES],
  state: ['app', ...SERVICES],
  'domain-ui': ['ui', 'state', 'app', ...SERVICES],
  ui: ['state', 'app', ...SERVICES, 'domain-ui'],
  registry: ['domains', 'domain-ui', ...SERVICES],
  main: ['ui', 'state'],
};

/** The layer of a file under src/, and the domain it belongs to (null outside src/ or a domain). */
export function layerOf(file, root) {
  const parts = relative(join(root, 'src'), file).split(sep);
  if (parts[0] === '..' || parts.length < 2) return parts.length === 1 && parts[0] !== '..' ? { layer: 'main', domain: null } : null;
  if (parts[0] !== 'domains') return { layer: parts[0], domain: null };
  if (parts.length === 2) return { layer: 'registry', domain: null };
  return { layer: parts[2] === 'ui' ? 'domain-ui' : 'domains', domain: parts[1] };
}

function check(context, node) {
  const spec = node.source?.value;
  if (typeof spec !== 'string' || !spec.startsWith('.')) return;
  const root = context.cwd ?? process.cwd();
  const from = layerOf(context.filename, root);
  if (!from) return;
  const to = layerOf(join(dirname(context.filename), spec.split('?')[0]), root);
  if (!to) return;
  if (from.domain && to.domain && from.domain !== to.domain) {
    context.report({ node, message: `A domain never imports another domain: src/domains/${from.domain} imports src/domains/${to.domain}.` });
    return;
  }
  if (from.layer === to.layer) return;
  // Inside one domain, the views may use the domain's logic; the logic never imports its views.
  if (from.domain && from.domain === to.domain && from.layer === 'domain-ui') return;
  if (!ALLOWED[from.layer]?.includes(to.layer)) {
    const name = (l) => (l.domain ? `src/domains/${l.domain}${l.layer === 'domain-ui' ? '/ui' : ''}` : `src/${l.layer}`);
    context.report({ node, message: `${name(from)} may not import from ${name(to)} (ui → state → app → runtime/storage/domains/embedders → engine).` });
  }
}

export const layersPlugin = {
  rules: {
    direction: {
      meta: { type: 'problem', schema: [] },
      create: (context) => ({
        ImportDeclaration: (node) => check(context, node),
        ExportNamedDeclaration: (node) => check(context, node),
        ExportAllDeclaration: (node) => check(context, node),
        ImportExpression: (node) => check(context, node),
      }),
    },
  },
};
