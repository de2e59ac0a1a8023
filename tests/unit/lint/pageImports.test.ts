import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The page's main thread loads no heavy numeric library: tfjs (the tabular VAE's) and onnxruntime-web
 * run in workers only. Walks the value imports (static and dynamic; `import type` is erased) from
 * src/main.tsx; a worker is started by URL (`new URL('./x.worker.ts', import.meta.url)`), not imported,
 * so its modules are not part of this graph.
 */
const HEAVY = ['@tensorflow/tfjs', 'onnxruntime-web'];

function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

/** Every package the main thread's graph imports, with the first module that imports it. */
function packagesOfPage(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.')) {
        const next = resolveLocal(file, specifier);
        if (next) queue.push(next);
      } else if (!packages.has(specifier)) packages.set(specifier, file);
    }
  }
  return packages;
}

describe("the page's main thread", () => {
  it('imports neither tfjs nor onnxruntime-web (they run in workers)', () => {
    const packages = packagesOfPage(join(process.cwd(), 'src', 'main.tsx'));
    expect(packages.size).toBeGreaterThan(3);
    expect(packages.has('react')).toBe(true);
    const heavy = [...packages].filter(([name]) => HEAVY.some((h) => name === h || name.startsWith(`${h}/`)));
    expect(heavy.map(([name, by]) => `${name} (imported by ${by})`)).toEqual([]);
  });
});
