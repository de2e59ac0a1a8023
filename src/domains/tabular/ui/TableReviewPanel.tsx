import { useShallow } from 'zustand/react/shallow';
import { useTabularStore } from '../../../state/tabularStore';
import { ColumnReview } from './ColumnReview';
import { ConstraintsEditor } from './ConstraintsEditor';
import './tabular.css';

/**
 * The review of a dropped table, before a calibration is made of it: its columns as read (types and
 * roles editable: the table is read again at each change) and its constraints (the detected sum group
 * offered, rules added or loaded, each checked against every real row).
 */
export function TableReviewPanel() {
  const t = useTabularStore(useShallow((s) => ({ review: s.review, constraints: s.constraints, constraintsProblem: s.constraintsProblem, busy: s.busy })));
  const { setType, setRole, setConstraints } = useTabularStore.getState();
  const review = t.review;
  if (!review) return null;
  const disabled = t.busy !== null;
  return (
    <>
      <section className="panel" aria-label="Review the columns">
        <h2>Review {review.file}</h2>
        <p className="panel__note">
          {review.rowCount.toLocaleString('en')} rows × {review.columns.length} columns, delimiter {review.delimiter === '\t' ? 'tab' : `“${review.delimiter}”`}. Types are inferred and can be changed; a
          class / group column stratifies the split and is kept class by class; a target is what a model would predict.
        </p>
        <ColumnReview summaries={review.summaries} onType={(name, type) => void setType(name, type)} onRole={(name, role) => void setRole(name, role)} disabled={disabled} />
      </section>
      <section className="panel" aria-label="Rules of the table">
        <h2>Constraints</h2>
        <p className="panel__note">Rules every synthetic row must obey; each is checked against every real row first (a rule the data breaks cannot be asked of the generator).</p>
        <ConstraintsEditor
          columns={review.columns.map((c) => ({ name: c.name, numeric: c.numeric }))}
          offer={review.offer}
          value={t.constraints}
          problem={t.constraintsProblem}
          onChange={(next) => void setConstraints(next)}
          disabled={disabled}
        />
      </section>
    </>
  );
}
