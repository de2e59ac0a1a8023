import { parseDocument } from 'yaml';

/**
 * Reading a YAML (or JSON, a subset of YAML 1.2) document a user hands us — an experiment config, a
 * parameter space, a constraints file — within limits that keep a hostile document from exhausting
 * the tab or the command line. Each reader turns a refusal into its own error, naming its file.
 */

/**
 * Largest configuration document read, in UTF-8 bytes. The largest real one is a space of a few
 * hundred parameters (tens of KB); 1 MiB leaves room for thousands and refuses a 10 MB document
 * before the parser spends seconds and hundreds of MB on it.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The most alias expansions (`*name` references, weighted by the size of what each repeats) a
 * document may make: the yaml library's measure and its default. A "billion laughs" alias bomb of a
 * few hundred bytes would otherwise expand to billions of nodes; real configs use a handful of aliases
 * or none.
 */
export const MAX_YAML_ALIASES = 100;

export type YamlRead = { ok: true; value: unknown } | { ok: false; reason: string };

/** UTF-8 length of a string (no TextEncoder: the engine compiles against the ES library alone). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4; // a surrogate pair: one code point of 4 bytes
      i++;
    } else n += 3;
  }
  return n;
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Why a document of `bytes` bytes is refused, or null when it is within MAX_CONFIG_BYTES. */
export function configSizeProblem(bytes: number): string | null {
  if (bytes <= MAX_CONFIG_BYTES) return null;
  return `the document is ${mb(bytes)}, over the ${mb(MAX_CONFIG_BYTES)} limit for a configuration file`;
}

/**
 * Parses one YAML document within the limits: the size first (before any parsing), then syntax
 * (the first error with its line and column), then the conversion to plain data with at most
 * MAX_YAML_ALIASES alias expansions. `uniqueKeys` refuses a repeated key.
 */
export function readYamlDocument(text: string, options: { uniqueKeys?: boolean } = {}): YamlRead {
  // A string's UTF-8 length is at least its length in UTF-16 code units: the quick test first.
  const tooBig = configSizeProblem(text.length > MAX_CONFIG_BYTES ? text.length : utf8Length(text));
  if (tooBig) return { ok: false, reason: tooBig };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: options.uniqueKeys ?? true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : '';
    return { ok: false, reason: `${at}${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (e) {
    // The yaml library throws a ReferenceError for too many aliases (and for an alias to no anchor).
    const message = e instanceof Error ? e.message : String(e);
    if (/alias count/i.test(message)) {
      return { ok: false, reason: `its aliases (*name) expand past the limit of ${MAX_YAML_ALIASES}: refused as an alias bomb (a document that multiplies itself when read)` };
    }
    return { ok: false, reason: `the YAML could not be read: ${message}` };
  }
}
