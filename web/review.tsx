import { useState } from 'preact/hooks';
import { postJson } from './api.js';
import { ROOT_CAUSES, type Review, type RootCause } from './api-types.js';
import { ErrorNote, useAction } from './components.js';

/** A review's verdict at a glance: ✓ correct, or ✗ with its root cause. */
export function ReviewBadge({ review }: { review: Review | null }) {
  if (!review) return <span class="muted">—</span>;
  if (review.verdict === 'correct') return <span class="badge badge-ok" data-testid="review-badge">✓ correct</span>;
  return (
    <span class="badge badge-failed" data-testid="review-badge" title={review.note ?? undefined}>
      ✗ {review.root_cause ? ROOT_CAUSES[review.root_cause] : 'incorrect'}{review.corrected_intent ? ` → #${review.corrected_intent}` : ''}
    </span>
  );
}

interface Draft { rootCause: RootCause | ''; correctedIntent: string; note: string }

/**
 * The Effectiveness review of one answer (README "Annotations"): mark it correct in one click, or incorrect with the
 * root cause and the intent it should have had. Saving again replaces the earlier verdict.
 */
export function ReviewControls({ logId, review, onSaved }: { logId: string; review: Review | null; onSaved: (r: Review) => void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const saving = useAction<'save'>();
  const busy = saving.busy !== null;
  const save = (body: Record<string, string | null>) => saving.run('save', async () => {
    onSaved(await postJson<Review>(`/api/v1/logs/${encodeURIComponent(logId)}/annotations`, body));
    setDraft(null);
  });
  const startIncorrect = () => setDraft({
    rootCause: review?.root_cause ?? '', correctedIntent: review?.corrected_intent ?? '', note: review?.note ?? '',
  });

  return (
    <div class="review" data-testid="review">
      <ReviewBadge review={review} />
      {!draft && (
        <span class="review-actions">
          <button class="button button-small" type="button" disabled={busy || review?.verdict === 'correct'} onClick={() => save({ verdict: 'correct' })}>Correct</button>
          <button class="button button-small" type="button" disabled={busy} onClick={startIncorrect}>Incorrect…</button>
        </span>
      )}
      {draft && (
        <form class="review-form" onSubmit={(e) => {
          e.preventDefault();
          void save({ verdict: 'incorrect', root_cause: draft.rootCause, corrected_intent: draft.correctedIntent.trim() || null, note: draft.note.trim() || null });
        }}>
          <label class="field">
            <span>Root cause</span>
            <select name="root_cause" required value={draft.rootCause} onChange={(e) => setDraft({ ...draft, rootCause: e.currentTarget.value as RootCause })}>
              <option value="" disabled>Choose…</option>
              {Object.entries(ROOT_CAUSES).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </label>
          <label class="field">
            <span>Intent it should have had</span>
            <input name="corrected_intent" value={draft.correctedIntent} maxLength={128} placeholder="e.g. transfer_money"
              onInput={(e) => setDraft({ ...draft, correctedIntent: e.currentTarget.value })} />
          </label>
          <label class="field field-grow">
            <span>Note</span>
            <input name="note" value={draft.note} maxLength={2000} onInput={(e) => setDraft({ ...draft, note: e.currentTarget.value })} />
          </label>
          <button class="button button-primary button-small" type="submit" disabled={busy || draft.rootCause === ''}>Save review</button>
          <button class="button button-small" type="button" disabled={busy} onClick={() => setDraft(null)}>Cancel</button>
        </form>
      )}
      <ErrorNote error={saving.error} />
    </div>
  );
}
