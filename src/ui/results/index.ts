/** Result tables and the image gallery of the run page; props only, no state or storage. */
export { BestTable, NextBatchTable, MetricsTable, RecoveryTable } from './tables';
export type { BestTableProps, NextBatchTableProps, MetricsTableProps, RecoveryTableProps } from './tables';
export { IterationGallery, type IterationGalleryProps } from './IterationGallery';
export { ConfirmationCard, type ConfirmationCardProps } from './ConfirmationCard';
export { PlausibleRegionCard, type PlausibleRegionCardProps } from './PlausibleRegionCard';
export { RecipeCard, type RecipeCardProps } from './RecipeCard';
