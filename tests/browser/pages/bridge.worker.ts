/** The real worker of tests/browser/bridge.test.ts. */
import { exposeWorker } from '../../../src/runtime/bridge/workerJobs';
import { createBridgeTestApi } from './bridgeTestApi';

exposeWorker(createBridgeTestApi());
