import type { ColumnRole } from './table';

/** A real table the page offers to try the calibration on (public/examples/tables, README there for sources and licences). */
export interface ExampleTable {
  id: string;
  label: string;
  file: string;
  /** The roles its columns are known to have (the user can change them in the review). */
  roles: Readonly<Record<string, ColumnRole>>;
  /** One line on what it is and what to try. */
  about: string;
}

export const EXAMPLE_TABLES: readonly ExampleTable[] = [
  { id: 'glass', label: 'Glass composition', file: 'fgl.csv', roles: { type: 'group' }, about: '214 glass samples: refractive index and eight oxide weight percentages that sum to about 100 %, six glass types.' },
  { id: 'wine', label: 'Wine', file: 'wine.csv', roles: { target: 'target' }, about: '178 wines from three cultivars: 13 chemical measurements and the cultivar.' },
  { id: 'breast_cancer', label: 'Breast cancer', file: 'breast_cancer.csv', roles: { target: 'target' }, about: '569 biopsies: 30 numeric features of cell nuclei and the diagnosis (a wide table).' },
  { id: 'birthwt', label: 'Birth weight', file: 'birthwt.csv', roles: {}, about: '189 births: risk factors and the weight; low = 1 exactly when bwt < 2500 (a derived column).' },
];
