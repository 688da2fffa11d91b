const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const nodes = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of (n.children||[])) parent.set(c, n.id);
const counts = new Map(); for (const s of p.samples) counts.set(s, (counts.get(s) || 0) + 1);
const incl = new Map(); let total = 0, busy = 0;
for (const [id, c] of counts) { total += c; const n0 = nodes.get(id); if (n0.callFrame.functionName !== '(idle)') busy += c; const seen = new Set(); let cur = id; while (cur !== undefined) { const n = nodes.get(cur); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').slice(-2).join('/'); if (!seen.has(k)) { incl.set(k, (incl.get(k)||0)+c); seen.add(k);} cur = parent.get(cur); } }
console.log('busy %', (100*busy/total).toFixed(1));
for (const [k, c] of [...incl].sort((a,b)=>b[1]-a[1]).filter(([k]) => !k.startsWith(' ') && !/^\(root\)/.test(k)).slice(0, Number(process.argv[3] || 60))) console.log((100*c/busy).toFixed(1).padStart(5), k);
