// The entry of the worker thread that publishes the stored diagnostics at a start
// (publish-stored.ts); bundled on its own into server/out/publish-stored-worker.js.
import { runStoredPublish } from './publish-stored';

runStoredPublish();
