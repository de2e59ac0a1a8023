import Papa from 'papaparse';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** How many leading records the detection reads. */
const SAMPLE_RECORDS = 20;

/**
 * The field delimiter of CSV text: of `,`, `;` and tab, the one that splits the first records (header
 * included, blank lines ignored) into the same number of fields, at least two; among those, the one
 * giving the most fields; if none is consistent, the one giving the header the most fields (the reader
 * then reports the ragged row); a one-column file reads as comma-separated. Quoted delimiters do not
 * count, so `"a,b";c` is one `;`-separated record of two fields.
 */
export function detectDelimiter(text: string): Delimiter {
  let best: { delimiter: Delimiter; fields: number; consistent: boolean } | null = null;
  for (const delimiter of DELIMITERS) {
    const parsed = Papa.parse<string[]>(text, { delimiter, quoteChar: '"', escapeChar: '"', header: false, preview: SAMPLE_RECORDS, skipEmptyLines: true });
    const records = parsed.data;
    if (records.length === 0) continue;
    const fields = records[0].length;
    if (fields < 2) continue;
    const consistent = records.every((r) => r.length === fields);
    const better =
      best === null ||
      (consistent && !best.consistent) ||
      (consistent === best.consistent && fields > best.fields);
    if (better) best = { delimiter, fields, consistent };
  }
  return best?.delimiter ?? ',';
}
