import { useState } from 'preact/hooks';
import { getJson } from '../api.js';
import type { AuditPage, AuditVerification } from '../api-types.js';
import { Card, ErrorNote, PageHeader, useLoad } from '../components.js';
import { formatCount, formatTime, shortId } from '../format.js';

const PAGE = 50;

/** The instance's hash-chained audit trail, newest first, and the verification of its chain (README "Audit trail"). */
export function AuditPage() {
  // `before` of each page visited (the newest page has none): "newer" pops one.
  const [befores, setBefores] = useState<(number | undefined)[]>([undefined]);
  const [anchor, setAnchor] = useState('');
  const [expected, setExpected] = useState<string | undefined>();
  const before = befores[befores.length - 1];
  const page = useLoad(() => getJson<AuditPage>('/api/v1/audit', { limit: PAGE, before }), [before]);
  const verify = useLoad(() => getJson<AuditVerification>('/api/v1/audit/verify', { expect_head: expected }), [expected]);

  return (
    <>
      <PageHeader title="Audit trail" subtitle="Who did what, in a hash chain: any change to a past entry, or a removed entry, is detected." />
      <Card title="Chain verification" actions={<button class="button" type="button" onClick={verify.reload}>Verify again</button>}>
        <ErrorNote error={verify.error} />
        {verify.data && <Verification v={verify.data} expected={expected} />}
        <form class="filter-bar anchor-form" onSubmit={(e) => { e.preventDefault(); setExpected(anchor.trim() || undefined); }}>
          <label class="field field-grow">
            <span>Expected head (an anchor recorded earlier, <code>seq:hash</code>): also detects entries cut from the end</span>
            <input name="expect_head" value={anchor} spellcheck={false} autocomplete="off" onInput={(e) => setAnchor(e.currentTarget.value)} placeholder="e.g. 42:9f86d08…" />
          </label>
          <button class="button" type="submit">Verify against it</button>
        </form>
      </Card>

      <Card title="Entries" actions={
        <div class="pager">
          <button class="button" type="button" disabled={befores.length < 2 || page.loading} onClick={() => setBefores(befores.slice(0, -1))}>← Newer</button>
          <button class="button" type="button" disabled={!page.data?.next_before || page.loading} onClick={() => setBefores([...befores, page.data!.next_before!])}>Older →</button>
        </div>
      }>
        <ErrorNote error={page.error} />
        {page.data && (page.data.entries.length ? (
          <div class="table-wrap">
            <table class="table" data-testid="audit">
              <thead><tr><th class="num">#</th><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Details</th><th>Hash</th></tr></thead>
              <tbody>{page.data.entries.map((e) => (
                <tr key={e.entry_id}>
                  <td class="num">{e.seq}</td>
                  <td class="nowrap">{formatTime(e.at)}</td>
                  <td class="nowrap"><code title={e.actor}>{e.actor.startsWith('key:') ? `key:${shortId(e.actor.slice(4))}` : e.actor}</code></td>
                  <td><span class="chip">{e.action}</span></td>
                  <td><code title={e.target ?? ''}>{e.target ? shortId(e.target) : '—'}</code></td>
                  <td class="text-cell small">{Object.entries(e.details).map(([k, v]) => <Detail key={k} name={k} value={v} />)}</td>
                  <td><code class="muted" title={e.hash}>{e.hash.slice(0, 10)}</code></td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        ) : <p class="empty">No entry yet.</p>)}
      </Card>
    </>
  );
}

/** Hashes (subject hashes) are shortened for reading; the full value stays in the tooltip. */
function Detail({ name, value }: { name: string; value: string | number | boolean | null }) {
  const text = String(value);
  const hash = /^[0-9a-f]{64}$/.test(text);
  return <span class="detail"><span class="muted">{name}</span> {hash ? <code title={text}>{text.slice(0, 12)}…</code> : text}</span>;
}

function Verification({ v, expected }: { v: AuditVerification; expected: string | undefined }) {
  return (
    <div class={`verification ${v.ok ? 'verification-ok' : 'verification-broken'}`} data-testid="audit-verification" data-ok={String(v.ok)}>
      <strong>{v.ok ? 'Chain intact' : 'Chain broken'}</strong>
      <span>{formatCount(v.entries)} entries checked{expected ? `, against head ${expected}` : ''}.</span>
      {v.broken && <span>At entry #{v.broken.seq}: {v.broken.message}</span>}
      <span class="muted small">{v.ok ? 'Head' : 'Last intact entry'}: <code>{v.head.anchor}</code> — record it elsewhere to check later that nothing was cut.</span>
    </div>
  );
}
