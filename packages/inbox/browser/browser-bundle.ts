// The plain browser build (dist/orqestra-inbox.js): `centrifuge` included, the element registered,
// the API on `window.OrqestraInbox` for pages without a bundler.
import * as OrqestraInbox from './index.js';

(globalThis as { OrqestraInbox?: typeof OrqestraInbox }).OrqestraInbox = OrqestraInbox;
