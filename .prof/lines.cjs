const p = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const fn = process.argv[3];
const ticks = new Map();
for (const n of p.nodes) if (n.callFrame.functionName === fn) for (const t of n.positionTicks || []) ticks.set(t.line, (ticks.get(t.line) || 0) + t.ticks);
console.log([...ticks].sort((a,b)=>b[1]-a[1]).slice(0,15));
const total = p.samples.length; const dur = (p.endTime - p.startTime)/1e6;
console.log('samples', total, 'duration s', dur, 'interval us', (p.endTime-p.startTime)/total);
