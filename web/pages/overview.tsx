import { useMemo, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { ROOT_CAUSES, type Effectiveness, type MetricsOverview, type RootCause } from '../api-types.js';
import { DayChart, type Series } from '../chart.js';
import { Card, ErrorNote, PageHeader, Stat, useLoad } from '../components.js';
import { formatCount, formatPercent } from '../format.js';
import { useSession } from '../session.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** What the figures cover; an empty assistant or deployment means all of them. */
type Scope = { from: string; to: string; assistant_id: string; deployment: string; coverage_threshold: string };

/** Figures and charts from the metrics API (README "Metrics"), over a range of whole UTC days. */
export function OverviewPage() {
  const [scope, setScope] = useState<Scope>(() => ({ from: isoDay(Date.now() - 29 * DAY), to: isoDay(Date.now()), assistant_id: '', deployment: '', coverage_threshold: '' }));
  const [draft, setDraft] = useState(scope);
  const overview = useLoad(() => getJson<MetricsOverview>('/api/v1/metrics/overview', scope), [scope]);
  // Effectiveness has no coverage threshold: the route refuses parameters it does not know.
  const { coverage_threshold: _threshold, ...range } = scope;
  const effectiveness = useLoad(() => getJson<Effectiveness>('/api/v1/metrics/effectiveness', range), [scope]);
  const o = overview.data;
  const field = (name: keyof Scope) => ({ name, value: draft[name], onInput: (e: { currentTarget: HTMLInputElement }) => setDraft({ ...draft, [name]: e.currentTarget.value }) });

  return (
    <>
      <PageHeader title="Overview" subtitle="How your assistants are used and how well they answer.">
        <form class="filter-bar" onSubmit={(e) => { e.preventDefault(); setScope({ ...draft, assistant_id: draft.assistant_id.trim(), deployment: draft.deployment.trim() }); }}>
          <label class="field"><span>From</span><input type="date" {...field('from')} /></label>
          <label class="field"><span>To</span><input type="date" {...field('to')} /></label>
          <label class="field"><span>Assistant</span><input {...field('assistant_id')} list="assistants" placeholder="all" size={14} spellcheck={false} /></label>
          <label class="field"><span>Deployment</span><input {...field('deployment')} placeholder="all" size={10} spellcheck={false} /></label>
          <label class="field"><span>Confidence ≥</span><input type="number" min="0" max="1" step="0.01" {...field('coverage_threshold')} placeholder={o ? String(o.coverage_threshold) : ''} /></label>
          <button class="button" type="submit">Show</button>
          <AssistantOptions />
        </form>
      </PageHeader>
      <ErrorNote error={overview.error} />
      {o && (
        <>
          <div class="stats stats-4" data-testid="overview-figures">
            <Stat label="Messages" value={formatCount(o.messages)} testId="stat-messages" />
            <Stat label="Conversations" value={formatCount(o.conversations)} testId="stat-conversations" />
            <Stat label="Unique users" value={formatCount(o.unique_users)} hint={o.conversations_per_user === null ? undefined : `${o.conversations_per_user.toFixed(1)} conversations each`} testId="stat-users" />
            <Stat label="Coverage" value={formatPercent(o.coverage)} hint={`top intent ≥ ${formatPercent(o.coverage_threshold, 0)} confident`} testId="stat-coverage" />
            <Stat label="Containment" value={formatPercent(o.containment)} hint={`${formatCount(o.outcomes.contained)} conversations`} testId="stat-containment" />
            <Stat label="Escalation" value={formatPercent(o.escalation)} hint={`${formatCount(o.outcomes.escalated)} conversations`} />
            <Stat label="Abandonment" value={formatPercent(o.abandonment)} hint={`${formatCount(o.outcomes.abandoned)} conversations`} />
            <Stat label="Answer accuracy" value={formatPercent(effectiveness.data?.accuracy)} hint={`${formatCount(effectiveness.data?.annotated ?? 0)} annotated messages`} testId="stat-accuracy" />
          </div>
          <Charts overview={o} />
          <Card title="Top intents">
            <TopIntents intents={o.top_intents} total={o.messages} />
          </Card>
          {effectiveness.data && <Card title="Answer review"><ReviewFindings e={effectiveness.data} /></Card>}
        </>
      )}
      {overview.loading && !o && <p class="muted">Loading…</p>}
    </>
  );
}

/** The instance's assistants as suggestions for the assistant field, for keys that may list them. */
function AssistantOptions() {
  const canList = useSession().can('workspaces:read');
  const list = useLoad(async () => (canList ? (await getJson<{ assistants: { assistant_id: string; name: string }[] }>('/api/v1/assistants')).assistants : []), [canList]);
  return <datalist id="assistants">{(list.data ?? []).map((a) => <option key={a.assistant_id} value={a.assistant_id}>{a.name}</option>)}</datalist>;
}

function Charts({ overview }: { overview: MetricsOverview }) {
  const days = useMemo(() => overview.days.map((d) => d.date), [overview]);
  const volume = useMemo<Series[]>(() => [
    { label: 'Messages', values: overview.days.map((d) => d.messages), color: '#2f5bd3', bars: true },
    { label: 'Conversations', values: overview.days.map((d) => d.conversations), color: '#1e8a4c' },
  ], [overview]);
  const quality = useMemo<Series[]>(() => [
    { label: 'Coverage', values: overview.days.map((d) => d.coverage), color: '#2f5bd3' },
    { label: 'Containment', values: overview.days.map((d) => d.containment), color: '#1e8a4c' },
    { label: 'Escalation', values: overview.days.map((d) => d.escalation), color: '#c0392b' },
  ], [overview]);
  return (
    <div class="two-col">
      <Card title="Volume per day"><DayChart days={days} series={volume} format={(v) => formatCount(v)} label="Messages and conversations per day" /></Card>
      <Card title="Quality per day"><DayChart days={days} series={quality} format={(v) => formatPercent(v, 0)} label="Coverage, containment and escalation per day" /></Card>
    </div>
  );
}

function TopIntents({ intents, total }: { intents: MetricsOverview['top_intents']; total: number }) {
  if (!intents.length) return <p class="empty">No intent recognised in this range.</p>;
  const max = Math.max(...intents.map((i) => i.messages));
  return (
    <ul class="bars" data-testid="top-intents">
      {intents.map((i) => (
        <li key={i.intent}>
          <span class="bar-label">#{i.intent}</span>
          <span class="bar-track"><progress class="bar" max={max} value={i.messages} aria-label={`${i.intent}: ${i.messages} messages`} /></span>
          <span class="bar-value num">{formatCount(i.messages)} <span class="muted small">({formatPercent(total ? i.messages / total : null, 0)})</span></span>
        </li>
      ))}
    </ul>
  );
}

/** The Effectiveness report of the range: why answers were wrong, what the assistant missed, how right each intent was. */
function ReviewFindings({ e }: { e: Effectiveness }) {
  if (!e.annotated) return <p class="empty">No answer of this range has been reviewed yet. Review answers in a conversation of the log explorer.</p>;
  const causes = (Object.entries(e.root_causes) as [RootCause, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return (
    <div class="three-col" data-testid="review-findings">
      <div>
        <h3>Root causes ({formatCount(e.incorrect)} incorrect)</h3>
        {causes.length ? <table class="table"><tbody>{causes.map(([c, n]) => <tr key={c}><td>{ROOT_CAUSES[c]}</td><td class="num">{formatCount(n)}</td></tr>)}</tbody></table>
          : <p class="muted">None.</p>}
      </div>
      <div>
        <h3>Intents the assistant missed</h3>
        {e.missed_intents.length ? <table class="table"><tbody>{e.missed_intents.map((m) => <tr key={m.intent}><td>#{m.intent}</td><td class="num">{formatCount(m.messages)}</td></tr>)}</tbody></table>
          : <p class="muted">None named.</p>}
      </div>
      <div>
        <h3>Precision per detected intent</h3>
        <table class="table"><tbody>{e.intents.map((i) => (
          <tr key={i.intent ?? ''}><td>{i.intent ? `#${i.intent}` : <span class="muted">no intent</span>}</td><td class="num">{formatPercent(i.precision, 0)}</td><td class="num muted small">{i.correct}/{i.annotated}</td></tr>
        ))}</tbody></table>
      </div>
    </div>
  );
}
