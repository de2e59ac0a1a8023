import { useId, type ReactNode } from 'react';
import './plots.css';

export interface ChartFrameProps {
  title: string;
  /** One or two sentences a screen reader (and a busy reader) gets instead of the picture. */
  summary: ReactNode;
  /** Controls shown under the title (selectors, sliders). */
  controls?: ReactNode;
  /** Receives the summary's id, for the chart's aria-describedby. */
  children: (summaryId: string) => ReactNode;
  footer?: ReactNode;
  className?: string;
  /** Test/automation hook: data-chart attribute. */
  chartId?: string;
}

/** A titled figure: heading, short text summary, optional controls, the chart, optional notes. */
export function ChartFrame({ title, summary, controls, children, footer, className, chartId }: ChartFrameProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const summaryId = `${id}-summary`;
  return (
    <figure className={`viz-figure ${className ?? ''}`} aria-labelledby={titleId} data-chart={chartId}>
      <figcaption className="viz-figure__caption">
        <h3 id={titleId} className="viz-figure__title">
          {title}
        </h3>
        <p id={summaryId} className="viz-figure__summary">
          {summary}
        </p>
      </figcaption>
      {controls && <div className="viz-figure__controls">{controls}</div>}
      {children(summaryId)}
      {footer && <div className="viz-figure__footer">{footer}</div>}
    </figure>
  );
}
