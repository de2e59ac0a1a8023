import { StudyInputError, type InputLocation } from '../../engine/studyInputError';

/** Where in a tabular input something is wrong: a study location, or a declared constraint. */
export interface TabularLocation extends InputLocation {
  /** A constraint of the constraints file, as it reads (`YS <= UTS`, `sum_groups[0]`, `bounds.RI`). */
  readonly constraint?: string;
}

/**
 * Bad tabular input (a CSV table, a constraints file, a type or role override), located as precisely as
 * the reader can, in the house style of StudyInputError: the file, then the row, the column or the
 * constraint, then what is wrong — `fgl.csv, row 7: it has 9 fields, the header has 10`, or
 * `c.yaml, constraint YS <= UTS: row 17 of alloys.csv breaks it (…)`. It is a
 * StudyInputError, so a caller that maps bad input to exit code 2 or a form message handles both alike
 * and can read `file`, `row`, `column` and `constraint` without parsing `message`.
 */
export class TabularInputError extends StudyInputError {
  readonly constraint?: string;

  constructor(file: string, detail: string, where: TabularLocation = {}) {
    super(file, detail, where);
    this.name = 'TabularInputError';
    if (where.constraint !== undefined) {
      this.constraint = where.constraint;
      // The row of a constraint error is the real table's, not this file's: the detail names it.
      this.message = `${file}, constraint ${where.constraint}: ${detail}`;
    }
  }
}
