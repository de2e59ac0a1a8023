/** Hostile documents shared by the config, space and constraints cases. */

/**
 * A "billion laughs" YAML: nine anchors, each a list of nine aliases of the one before, so `key: *i`
 * stands for 9⁹ ≈ 387 million strings in about 500 bytes.
 */
export function aliasBomb(key: string): string {
  const names = 'abcdefghi';
  const lines = [`${names[0]}: &${names[0]} [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
  lines.push(`${key}: *${names[names.length - 1]}`);
  return `${lines.join('\n')}\n`;
}

/** A syntactically valid YAML document of exactly `mb` MiB (one long quoted string). */
export function bigYaml(mb: number, key = 'experiment_name'): string {
  const head = `${key}: "`;
  const tail = '"\n';
  return head + 'a'.repeat(mb * 1024 * 1024 - head.length - tail.length) + tail;
}
