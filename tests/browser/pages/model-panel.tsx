/** Mounts the ModelPanel alone (as the app will) for tests/browser/embed.test.ts and its screenshot. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ModelPanel } from '../../../src/ui/model/ModelPanel';
import '../../../src/ui/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ModelPanel />
  </StrictMode>,
);
