/**
 * A child process for the study folder tests (run with `node --import tsx`).
 *   rewrite FOLDER          forever: under the lock, write the fixture study named "state 1", "state 2", …
 *                           (each write changes every sample's embedding, so every iteration file changes)
 *   append FOLDER TAG N     N times: under the lock, open the study, append " TAG" to its name, flush
 */
import { FolderStudyStore } from '../../../src/cli/folderStudyStore';
import { writeStudyFolder } from '../../../src/cli/studyFolder';
import { withStudyLock } from '../../../src/cli/studyLock';
import { fixtureBundle } from './studyFixture';

const [mode, folder, ...rest] = process.argv.slice(2);

if (mode === 'rewrite') {
  for (let n = 1; ; n++) {
    const bundle = fixtureBundle({ name: `state ${n}`, seed: n });
    await withStudyLock(folder, () => writeStudyFolder(folder, bundle));
    process.stdout.write(`wrote ${n}\n`);
  }
} else if (mode === 'append') {
  const [tag, n] = rest;
  for (let i = 0; i < Number(n); i++) {
    await withStudyLock(folder, async () => {
      const store = await FolderStudyStore.open(folder);
      const [experiment] = await store.listExperiments();
      await store.renameExperiment(experiment.id, `${experiment.name} ${tag}${i}`);
      await store.flush();
    });
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
