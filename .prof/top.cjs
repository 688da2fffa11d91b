const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const nodes = new Map(p.nodes.map(n => [n.id, n]));
const self = new Map();
const total = p.samples.length;
const counts = new Map();
for (const s of p.samples) counts.set(s, (counts.get(s) || 0) + 1);
for (const [id, c] of counts) { const n = nodes.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + c); }
const arr = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, c] of arr) console.log((100 * c / total).toFixed(1).padStart(5), k);
// inclusive by url
const parent = new Map(); for (const n of p.nodes) for (const c of (n.children||[])) parent.set(c, n.id);
const incl = new Map();
for (const [id, c] of counts) { const seen = new Set(); let cur = id; while (cur !== undefined) { const n = nodes.get(cur); const u = n.callFrame.url.includes('node_modules') ? n.callFrame.url.split('node_modules/')[1].split('/')[0] : n.callFrame.url.split('/').slice(-2).join('/'); if (!seen.has(u)) { incl.set(u, (incl.get(u)||0)+c); seen.add(u);} cur = parent.get(cur); } }
console.log('--- inclusive by module');
for (const [k, c] of [...incl].sort((a,b)=>b[1]-a[1]).slice(0,30)) console.log((100*c/total).toFixed(1).padStart(5), k);
