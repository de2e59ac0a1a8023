import { useId } from 'react';
import type { LookData } from '../../views';
import { CorrelationsCard } from './CorrelationsCard';
import { DcrCard } from './DcrCard';
import { MarginalsCard } from './MarginalsCard';
import { RowMapCard } from './RowMapCard';
import { UtilityPrivacyCard } from './UtilityPrivacyCard';
import './look.css';

/**
 * The "Look" of a tabular calibration: how the selected synthetic table compares with the real rows
 * (marginals, correlations, distances to the closest record, the map of rows) and where every
 * evaluation sits between utility and privacy. Each chart draws only once it is on screen (PlotlyChart).
 */
export function TabularLook({ data }: { data: LookData }) {
  const headingId = useId();
  return (
    <section className="look" aria-labelledby={headingId}>
      <h2 id={headingId} className="look__heading">
        Look
      </h2>
      <div className="look__grid">
        <div className="look__card look__card--wide">
          <MarginalsCard marginals={data.marginals} />
        </div>
        <div className="look__card look__card--wide">
          <CorrelationsCard correlations={data.correlations} />
        </div>
        <div className="look__card">
          <DcrCard dcr={data.dcr} />
        </div>
        <div className="look__card">
          <UtilityPrivacyCard tradeoff={data.utilityPrivacy} />
        </div>
        <div className="look__card look__card--wide">
          <RowMapCard map={data.map} />
        </div>
      </div>
    </section>
  );
}
