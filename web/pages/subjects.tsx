import { useEffect, useState } from 'preact/hooks';
import { getJson, postForFile, postJson, saveFile } from '../api.js';
import type { AccessDocument, Job, SubjectFound, SubjectKind, Subject } from '../api-types.js';
import { Card, Dialog, ErrorNote, PageHeader, Stat, StatusBadge, useAction, useLoad } from '../components.js';
import { formatCount, formatTime, shortId } from '../format.js';
import { useSession } from '../session.js';

const KINDS: { kind: SubjectKind; label: string }[] = [
  { kind: 'customer_id', label: 'Customer ID (Watson X-Watson-Metadata)' },
  { kind: 'user_id', label: 'User ID (Watson user_id, Coveo username)' },
  { kind: 'visitor_id', label: 'Visitor ID (Coveo visitor)' },
];
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * The data-subject request console: find a person, read out or export what is held, delete it and show the verified
 * receipt. The person is sent in request bodies only, never in this page's URL.
 */
export function SubjectsPage() {
  const session = useSession();
  const canRead = session.can('user_data:read');
  const canDelete = session.can('user_data:delete');
  const [kind, setKind] = useState<SubjectKind>('customer_id');
  const [value, setValue] = useState('');
  const [subject, setSubject] = useState<Subject | null>(null);
  const [found, setFound] = useState<SubjectFound | null>(null);
  const [access, setAccess] = useState<AccessDocument | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, run } = useAction<'find' | 'access' | 'export' | 'delete'>();
  const [jobsTick, setJobsTick] = useState(0);

  const find = (s: Subject) => run('find', async () => {
    setFound(await postJson<SubjectFound>('/api/v1/subjects/find', s));
  });

  const submit = (e: Event) => {
    e.preventDefault();
    // Sent as typed: the server refuses an ID padded with whitespace rather than have it quietly become another one.
    const s = { kind, value };
    setSubject(s);
    setFound(null);
    setAccess(null);
    setJob(null);
    if (canRead) void find(s);
  };

  const view = () => run('access', async () => setAccess(await postJson<AccessDocument>('/api/v1/subjects/access', subject)));

  const download = () => run('export', async () => saveFile(await postForFile('/api/v1/subjects/export', subject)));

  const remove = () => run('delete', async () => {
    setConfirming(false);
    setAccess(null);
    setJob(await postJson<Job>('/api/v1/subjects/delete', subject));
    setJobsTick((t) => t + 1);
  });

  // A deletion answers at once with a queued job; follow it until its receipt is final.
  useEffect(() => {
    if (!job || FINISHED.has(job.status)) return;
    const timer = setTimeout(() => {
      getJson<Job>(`/api/v1/jobs/${job.job_id}`).then((j) => {
        setJob(j);
        if (FINISHED.has(j.status)) {
          setJobsTick((t) => t + 1);
          if (canRead && subject) void find(subject);
        }
      }, setError);
    }, 400);
    return () => clearTimeout(timer);
  }, [job]);

  return (
    <>
      <PageHeader title="Data-subject requests" subtitle="Find everything held on one person, give it to them, or erase it with a verified receipt." />
      <Card title="Find a person">
        <form class="filter-bar" onSubmit={submit}>
          <label class="field">
            <span>Identifier</span>
            <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as SubjectKind)}>
              {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
            </select>
          </label>
          <label class="field field-grow">
            <span>Value</span>
            <input name="value" required autocomplete="off" spellcheck={false} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
          </label>
          <button class="button button-primary" type="submit" disabled={!value || busy !== null}>{canRead ? 'Find' : 'Select'}</button>
        </form>
        <ErrorNote error={error} />
      </Card>

      {subject && (found || !canRead) && (
        <Card title={<>Holdings for {subject.kind} <code>{subject.value}</code></>} actions={
          <div class="card-actions">
            {canRead && <button class="button" type="button" disabled={busy !== null} onClick={view}>View data</button>}
            {canRead && <button class="button" type="button" disabled={busy !== null} onClick={download}>{busy === 'export' ? 'Preparing…' : 'Export ZIP'}</button>}
            {canDelete && <button class="button button-danger" type="button" disabled={busy !== null} onClick={() => setConfirming(true)}>Delete…</button>}
          </div>
        }>
          {found && <Holdings found={found} />}
        </Card>
      )}

      {job && <Receipt job={job} />}
      {access && <AccessView doc={access} />}
      {found && found.deletion_jobs.length > 0 && (
        <Card title="Past deletion receipts for this person">
          <JobTable jobs={found.deletion_jobs} />
        </Card>
      )}

      {canDelete && <RecentJobs tick={jobsTick} onError={setError} />}

      {subject && (
        <ConfirmDelete open={confirming} subject={subject} onCancel={() => setConfirming(false)} onConfirm={remove} />
      )}
    </>
  );
}

function Holdings({ found }: { found: SubjectFound }) {
  const { logs, events, exports } = found.holdings;
  return (
    <>
      <div class="stats" data-testid="holdings">
        <Stat label="Conversation logs" value={formatCount(logs)} />
        <Stat label="Analytics events" value={formatCount(events)} />
        <Stat label="Data exports" value={formatCount(exports)} />
      </div>
      <p class="muted small">Subject hash <code>{found.subject.hash}</code>: how receipts name this person once their data is gone.</p>
    </>
  );
}

function ConfirmDelete(props: { open: boolean; subject: Subject; onCancel: () => void; onConfirm: () => void }) {
  const [typed, setTyped] = useState('');
  useEffect(() => setTyped(''), [props.open]);
  return (
    <Dialog open={props.open} title="Delete this person's data?" onClose={props.onCancel}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); if (typed === props.subject.value) props.onConfirm(); }}>
        <p>Every log, event and export held for {props.subject.kind} <code>{props.subject.value}</code> (and its aliases) that was received
          until now is erased for good, then verified gone. This cannot be undone.</p>
        <label class="field">
          <span>Type <strong>{props.subject.value}</strong> to confirm</span>
          <input name="confirm-value" autocomplete="off" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button class="button" type="button" onClick={props.onCancel}>Cancel</button>
          <button class="button button-danger" type="submit" disabled={typed !== props.subject.value}>Delete permanently</button>
        </div>
      </form>
    </Dialog>
  );
}

function Receipt({ job }: { job: Job }) {
  const done = FINISHED.has(job.status);
  return (
    <Card title={<>Deletion receipt <StatusBadge status={job.status} /></>} class="receipt">
      <div data-testid="receipt" data-status={job.status}>
        {!done && <p class="muted">Deleting… the receipt updates on its own.</p>}
        <dl class="facts">
          <div><dt>Job</dt><dd><code>{job.job_id}</code></dd></div>
          <div><dt>Subject hash</dt><dd><code>{shortId(job.subject.hash)}</code></dd></div>
          <div><dt>Covers data received before</dt><dd>{formatTime(job.cutoff)}</dd></div>
          <div><dt>Completed</dt><dd>{formatTime(job.completed)}</dd></div>
          <div><dt>Verified</dt><dd data-testid="verified">{formatTime(job.verified)}</dd></div>
          <div><dt>Attempts</dt><dd>{job.attempts}</dd></div>
        </dl>
        <div class="two-col">
          <CountList title="Deleted" counts={job.deleted} testId="deleted" />
          <CountList title="Found left by verification" counts={job.verification ?? {}} testId="verification" />
        </div>
        {job.error && <p class="note note-error">{job.error}</p>}
      </div>
    </Card>
  );
}

function CountList({ title, counts, testId }: { title: string; counts: Record<string, number>; testId: string }) {
  const entries = Object.entries(counts);
  return (
    <div>
      <h3>{title}</h3>
      {entries.length ? (
        <table class="table table-compact" data-testid={testId}>
          <tbody>{entries.map(([k, v]) => <tr key={k}><th>{k}</th><td class="num">{formatCount(v)}</td></tr>)}</tbody>
        </table>
      ) : <p class="muted">Not yet.</p>}
    </div>
  );
}

function AccessView({ doc }: { doc: AccessDocument }) {
  const textOf = (l: AccessDocument['logs'][number]) => {
    const out = l.response.output;
    return (out?.text ?? out?.generic?.map((g) => g.text ?? '') ?? []).join(' ');
  };
  return (
    <Card title={`Everything held (as of ${formatTime(doc.generated)})`} class="access">
      <div data-testid="access">
        <h3>Conversation logs ({doc.logs.length})</h3>
        {doc.logs.length ? (
          <div class="table-wrap">
            <table class="table">
              <thead><tr><th>Time</th><th>Said</th><th>Answered</th><th>Conversation</th></tr></thead>
              <tbody>{doc.logs.map((l) => (
                <tr key={l.log_id}><td class="nowrap">{formatTime(l.request_timestamp)}</td><td class="text-cell">{l.request.input?.text ?? ''}</td>
                  <td class="text-cell">{textOf(l)}</td><td><code>{l.conversation_id ? shortId(l.conversation_id) : '—'}</code></td></tr>
              ))}</tbody>
            </table>
          </div>
        ) : <p class="muted">None.</p>}
        <h3>Analytics events ({doc.events.length})</h3>
        {doc.events.length ? (
          <table class="table">
            <thead><tr><th>Received</th><th>Type</th><th>User</th><th>Visitor</th></tr></thead>
            <tbody>{doc.events.map((e) => (
              <tr key={e.event_id}><td class="nowrap">{formatTime(e.received)}</td><td>{e.type}</td><td>{e.anonymous ? 'pseudonymous' : e.user_id ?? '—'}</td><td><code>{e.visitor_id ? shortId(e.visitor_id) : '—'}</code></td></tr>
            ))}</tbody>
          </table>
        ) : <p class="muted">None.</p>}
        <h3>Data exports holding their events ({doc.exports.length})</h3>
        {doc.exports.length ? (
          <ul>{doc.exports.map((x) => <li key={x.export_id}><code>{x.export_id}</code> {x.status} · {formatTime(x.created)}</li>)}</ul>
        ) : <p class="muted">None.</p>}
      </div>
    </Card>
  );
}

export function JobTable({ jobs, onCancel }: { jobs: Job[]; onCancel?: (job: Job) => void }) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="jobs">
        <thead><tr><th>Job</th><th>Status</th><th>Subject</th><th>Requested</th><th>Verified</th><th class="num">Logs</th><th class="num">Events</th>{onCancel && <th />}</tr></thead>
        <tbody>{jobs.map((j) => (
          <tr key={j.job_id} data-job={j.job_id}>
            <td><code title={j.job_id}>{shortId(j.job_id)}</code></td>
            <td><StatusBadge status={j.status} /></td>
            <td>{j.subject.kind} <code title={j.subject.hash}>{j.subject.hash.slice(0, 8)}</code></td>
            <td class="nowrap">{formatTime(j.created)}</td>
            <td class="nowrap">{formatTime(j.verified)}</td>
            <td class="num">{formatCount(j.deleted.logs)}</td>
            <td class="num">{formatCount(j.deleted.events)}</td>
            {onCancel && <td>{j.status === 'queued' && <button class="button button-small" type="button" onClick={() => onCancel(j)}>Cancel</button>}</td>}
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function RecentJobs({ tick, onError }: { tick: number; onError: (e: unknown) => void }) {
  const jobs = useLoad(() => getJson<{ jobs: Job[] }>('/api/v1/jobs', { limit: 20 }), [tick]);
  const cancel = (j: Job) => postJson<Job>(`/api/v1/jobs/${j.job_id}/cancel`).then(jobs.reload, onError);
  return (
    <Card title="Recent deletion jobs" actions={<button class="button" type="button" onClick={jobs.reload}>Refresh</button>}>
      <ErrorNote error={jobs.error} />
      {jobs.data && (jobs.data.jobs.length ? <JobTable jobs={jobs.data.jobs} onCancel={cancel} /> : <p class="empty">No deletion job yet.</p>)}
    </Card>
  );
}
