import { useState } from 'preact/hooks';
import { getJson } from '../api.js';
import type { LogPage, Review } from '../api-types.js';
import { Card, ErrorNote, Link, PageHeader, useLoad } from '../components.js';
import { filterLiteral, formatPercent, formatTime } from '../format.js';
import { ReviewBadge, ReviewControls } from '../review.js';
import { useSession } from '../session.js';

/** The longest conversation shown; beyond it the page says so rather than silently cutting. */
const MAX_MESSAGES = 1000;

/**
 * Every exchange of one conversation, oldest first, as user and assistant bubbles; a key with `logs:annotate` reviews
 * each answer where it reads it.
 */
export function ConversationPage({ params }: { params: string[] }) {
  const id = params[0]!;
  const canReview = useSession().can('logs:annotate');
  // Reviews saved on this page, over those the listing brought.
  const [saved, setSaved] = useState<Record<string, Review>>({});
  const conv = useLoad(
    () => getJson<LogPage>('/api/v1/logs', { filter: `conversation_id::${filterLiteral(id)}`, sort: 'request_timestamp', page_limit: MAX_MESSAGES }),
    [id],
  );
  const logs = conv.data?.logs ?? [];
  const first = logs[0];
  return (
    <>
      <PageHeader title="Conversation" subtitle={<code>{id}</code>}>
        <Link to="/logs" class="button">← Back to logs</Link>
      </PageHeader>
      <ErrorNote error={conv.error} />
      {first && (
        <Card>
          <dl class="facts">
            <div><dt>Started</dt><dd>{formatTime(first.request_timestamp)}</dd></div>
            <div><dt>Messages</dt><dd>{logs.length}{conv.data?.next_cursor ? '+' : ''}</dd></div>
            <div><dt>Customer</dt><dd>{first.customer_ids.join(', ') || '—'}</dd></div>
            <div><dt>User</dt><dd>{first.user_id ?? '—'}</dd></div>
            <div><dt>{first.api === 'v2' ? 'Assistant' : 'Workspace'}</dt><dd><code>{first.assistant_id ?? first.workspace_id ?? '—'}</code></dd></div>
            <div><dt>Language</dt><dd>{first.language}</dd></div>
          </dl>
        </Card>
      )}
      <Card>
        {conv.loading && <p class="muted">Loading…</p>}
        {conv.data && !logs.length && <p class="empty">No message of this conversation is held (it may have been deleted).</p>}
        <ol class="chat" data-testid="conversation">
          {logs.map((l) => [
            <li key={`${l.log_id}-in`} class="bubble bubble-user">
              <div class="bubble-text">{l.input_text || <em class="muted">(no text)</em>}</div>
              <div class="bubble-meta">{formatTime(l.request_timestamp)}</div>
            </li>,
            <li key={`${l.log_id}-out`} class="bubble bubble-assistant">
              <div class="bubble-text">{l.output_text.length ? l.output_text.map((t, i) => <p key={i}>{t}</p>) : <em class="muted">(no reply text)</em>}</div>
              <div class="bubble-meta">
                {l.top_intent ? <>#{l.top_intent} · {formatPercent(l.top_confidence)} · </> : null}{formatTime(l.response_timestamp)}
              </div>
              {canReview
                ? <ReviewControls logId={l.log_id} review={saved[l.log_id] ?? l.annotation} onSaved={(r) => setSaved({ ...saved, [l.log_id]: r })} />
                : l.annotation && <div class="review"><ReviewBadge review={l.annotation} /></div>}
            </li>,
          ])}
        </ol>
        {conv.data?.next_cursor && <p class="note">Only the first {MAX_MESSAGES} messages are shown.</p>}
      </Card>
    </>
  );
}
