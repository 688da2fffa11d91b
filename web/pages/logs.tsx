import { useState } from 'preact/hooks';
import { getForFile, getJson, saveFile } from '../api.js';
import type { LogPage, LogRow } from '../api-types.js';
import { Card, ErrorNote, PageHeader, useAction, useLoad } from '../components.js';
import { formatPercent, formatTime } from '../format.js';
import { keep, recall } from '../memory.js';
import { ReviewBadge } from '../review.js';
import { navigate } from '../router.js';

interface ExplorerState {
  draft: string;
  filter: string;
  sort: 'request_timestamp' | '-request_timestamp';
  pageLimit: number;
  /** The cursor of each page visited so far (the first page has none): "previous" pops one. */
  cursors: (string | undefined)[];
  /** Bumped by Apply, so applying the same filter again re-reads the logs. */
  run: number;
}

const INITIAL: ExplorerState = { draft: '', filter: '', sort: '-request_timestamp', pageLimit: 25, cursors: [undefined], run: 0 };

const EXAMPLES = ['customer_id::cust-42', 'request.input.text:balance', 'response.intents:intent::greeting', 'request_timestamp>=2026-01-01', 'response.top_intent::transfer,language::en'];

export function LogsPage() {
  const [state, setStateRaw] = useState(() => recall('logs', INITIAL));
  const setState = (next: ExplorerState) => { keep('logs', next); setStateRaw(next); };
  const cursor = state.cursors[state.cursors.length - 1];
  const page = useLoad(
    () => getJson<LogPage>('/api/v1/logs', { filter: state.filter, sort: state.sort, page_limit: state.pageLimit, cursor }),
    [state.filter, state.sort, state.pageLimit, cursor, state.run],
  );

  const apply = (e?: Event) => {
    e?.preventDefault();
    setState({ ...state, filter: state.draft.trim(), cursors: [undefined], run: state.run + 1 });
  };

  // The whole result of the applied filter, oldest first, streamed by the server (README "Exporting logs").
  const exporting = useAction<'csv' | 'jsonl'>();
  const download = (format: 'csv' | 'jsonl') =>
    exporting.run(format, async () => saveFile(await getForFile('/api/v1/logs/export', { filter: state.filter, format })));

  return (
    <>
      <PageHeader title="Log explorer" subtitle="Every message exchanged with your assistants, newest first. Filter with the Watson filter language." />
      <Card>
        <form class="filter-bar" onSubmit={apply} role="search">
          <label class="field field-grow">
            <span>Filter</span>
            <input name="filter" value={state.draft} spellcheck={false} autocomplete="off"
              placeholder="e.g. customer_id::cust-42,request.input.text:balance (empty: every log)"
              onInput={(e) => setState({ ...state, draft: e.currentTarget.value })} />
          </label>
          <label class="field">
            <span>Order</span>
            <select name="sort" value={state.sort} onChange={(e) => setState({ ...state, sort: e.currentTarget.value as ExplorerState['sort'], cursors: [undefined] })}>
              <option value="-request_timestamp">Newest first</option>
              <option value="request_timestamp">Oldest first</option>
            </select>
          </label>
          <label class="field">
            <span>Per page</span>
            <select name="page_limit" value={String(state.pageLimit)} onChange={(e) => setState({ ...state, pageLimit: Number(e.currentTarget.value), cursors: [undefined] })}>
              {[10, 25, 50, 100].map((n) => <option key={n} value={String(n)}>{n}</option>)}
            </select>
          </label>
          <button class="button button-primary" type="submit">Apply</button>
        </form>
        <p class="examples muted small">
          Examples:{' '}
          {EXAMPLES.map((x) => <button key={x} type="button" class="link-button code" onClick={() => setState({ ...state, draft: x })}>{x}</button>)}
        </p>
        <ErrorNote error={page.error} />
      </Card>

      <Card title={state.filter ? <>Logs matching <code>{state.filter}</code></> : 'All logs'} actions={
        <div class="pager">
          {(['csv', 'jsonl'] as const).map((f) => (
            <button key={f} class="button" type="button" disabled={exporting.busy !== null || !!page.error}
              title="Every log matching the filter, oldest first" onClick={() => download(f)}>
              {exporting.busy === f ? 'Exporting…' : `Export ${f.toUpperCase()}`}
            </button>
          ))}
          <span class="muted small" data-testid="page-number">Page {state.cursors.length}</span>
          <button class="button" type="button" disabled={state.cursors.length < 2 || page.loading}
            onClick={() => setState({ ...state, cursors: state.cursors.slice(0, -1) })}>← Previous</button>
          <button class="button" type="button" disabled={!page.data?.next_cursor || page.loading}
            onClick={() => setState({ ...state, cursors: [...state.cursors, page.data!.next_cursor!] })}>Next →</button>
        </div>
      }>
        <ErrorNote error={exporting.error} />
        {page.data && <LogTable logs={page.data.logs} />}
        {page.loading && !page.data && <p class="muted">Loading…</p>}
      </Card>
    </>
  );
}

function LogTable({ logs }: { logs: LogRow[] }) {
  if (!logs.length) return <p class="empty">No log matches this filter.</p>;
  const open = (l: LogRow) => l.conversation_id && navigate(`/conversations/${encodeURIComponent(l.conversation_id)}`);
  return (
    <div class="table-wrap">
      <table class="table table-clickable" data-testid="log-table">
        <thead>
          <tr><th>Time</th><th>Customer</th><th>User</th><th>Input</th><th>Top intent</th><th class="num">Confidence</th><th>Review</th></tr>
        </thead>
        <tbody>
          {logs.map((l) => (
            <tr key={l.log_id} tabIndex={0} title="Open the conversation" onClick={() => open(l)} onKeyDown={(e) => e.key === 'Enter' && open(l)}>
              <td class="nowrap">{formatTime(l.request_timestamp)}</td>
              <td>{l.customer_ids.join(', ') || <span class="muted">—</span>}</td>
              <td>{l.user_id ?? <span class="muted">—</span>}</td>
              <td class="text-cell">{l.input_text || <span class="muted">(no text)</span>}</td>
              <td>{l.top_intent ? <span class="chip">#{l.top_intent}</span> : <span class="muted">—</span>}</td>
              <td class="num">{formatPercent(l.top_confidence)}</td>
              <td class="nowrap"><ReviewBadge review={l.annotation} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
