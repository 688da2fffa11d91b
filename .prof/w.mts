import { openSqliteStore } from '/work/main/src/store/sqlite/sqlite-store.js';
const s = openSqliteStore('sqlite:/tmp/w.db', { synchronous: 'FULL' });
try { await s.logs.appendBatch([]); console.log('ok'); } catch (e) { console.log('ERR', e); }
await s.close();
