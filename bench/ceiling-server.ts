import { serve } from '../src/cli/serve.js';
import { readConfig } from '../src/config.js';
import { openStore } from '../src/store/open-store.js';
import { encodeWrites } from '../src/store/sqlite/ingest-append.js';

/**
 * Lethe with its durable logging taken out: the real server on the real store, except that ingest encodes each batch
 * into rows and then drops it instead of committing it. Not a product mode. The message benchmark runs it to measure
 * what the request path costs without any storage (HTTP, auth, validation, the skill, redaction, the reply). That is
 * the ceiling for the logged route, because durable logging only adds to it.
 */
const config = readConfig();
const store = await openStore(config);
await serve(config, { ...store, ingest: async (writes) => void encodeWrites(writes) });
