import type { EventRecord } from '../../model/events.js';
import type { LogRecord } from '../../model/logs.js';
import type { PiiDetectors } from './pii-detectors.js';

/** The part of PiiDetectors used here; redactLog passes a memoised one (the input text appears three times). */
type Redactor = Pick<PiiDetectors, 'redact'>;

/**
 * Redaction of the copy that is stored. Records are never changed in place: the request body and the response object
 * are the ones the client is answered with, so every changed level is copied and everything else is shared.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function redactStrings(list: unknown, d: Redactor): unknown {
  if (!Array.isArray(list)) return list;
  let out: unknown[] | undefined;
  list.forEach((item, i) => {
    const r = typeof item === 'string' ? d.redact(item) : item;
    if (r !== item) (out ??= [...list])[i] = r;
  });
  return out ?? list;
}

/** Applies `f` to the objects of a list, copying the list only when one of them changed. */
function mapObjects(list: unknown, f: (o: Json) => Json): unknown {
  if (!Array.isArray(list)) return list;
  let out: unknown[] | undefined;
  list.forEach((item, i) => {
    const r = isObject(item) ? f(item) : item;
    if (r !== item) (out ??= [...list])[i] = r;
  });
  return out ?? list;
}

function withField(o: Json, key: string, value: unknown): Json {
  return value === o[key] ? o : { ...o, [key]: value };
}

function redactField(o: Json, key: string, d: Redactor): Json {
  const v = o[key];
  return typeof v === 'string' ? withField(o, key, d.redact(v)) : o;
}

/** An entity found in PII keeps its name and location; its value is redacted and the metadata derived from it goes. */
function redactEntity(e: Json, d: Redactor): Json {
  if (typeof e.value !== 'string') return e;
  const value = d.redact(e.value);
  if (value === e.value) return e;
  const { metadata: _m, interpretation: _i, ...rest } = e;
  return { ...rest, value };
}

/** input.text, output.text[], output.generic[].text and the entities, in a v1/v2 request or response. */
function redactMessage(m: Json, d: Redactor): Json {
  let out = m;
  if (isObject(m.input)) out = withField(out, 'input', redactField(m.input, 'text', d));
  out = withField(out, 'entities', mapObjects(m.entities, (e) => redactEntity(e, d)));
  if (isObject(m.output)) {
    let output = m.output;
    output = withField(output, 'text', redactStrings(output.text, d));
    output = withField(output, 'generic', mapObjects(output.generic, (g) => redactField(g, 'text', d)));
    output = withField(output, 'entities', mapObjects(output.entities, (e) => redactEntity(e, d)));
    out = withField(out, 'output', output);
  }
  return out;
}

/** The log row as stored: the indexed `inputText` and every user or assistant text in the request and response. */
export function redactLog(log: LogRecord, detectors: PiiDetectors): LogRecord {
  if (detectors.empty) return log;
  // The input text is redacted first and then met twice more (request and echoed input): remember the last one.
  let lastIn = log.inputText;
  let lastOut = detectors.redact(lastIn);
  const d: Redactor = {
    redact(text) {
      if (text !== lastIn) {
        lastIn = text;
        lastOut = detectors.redact(text);
      }
      return lastOut;
    },
  };
  const inputText = d.redact(log.inputText);
  const request = redactMessage(log.request, d);
  const response = redactMessage(log.response, d);
  if (inputText === log.inputText && request === log.request && response === log.response) return log;
  // The reply's own JSON text is stored when present (it is serialised once); a redacted response must be re-serialised.
  return { ...log, inputText, request, response, responseJson: response === log.response ? log.responseJson : undefined };
}

/**
 * Event fields people type or that carry typed text (search queries, page titles and URLs with their query strings),
 * plus every string value of customData. IDs, causes and counts are left alone.
 */
export const EVENT_TEXT_FIELDS = [
  'queryText', 'advancedQuery', 'eventValue', 'documentTitle', 'documentUrl', 'documentUri', 'location', 'referrer',
  'title', 'originLevel3', 'contentIdValue', 'dl', 'dr', 'dt', 'dp',
] as const;

export function redactEvent(event: EventRecord, d: PiiDetectors): EventRecord {
  if (d.empty) return event;
  let payload = event.payload;
  for (const key of EVENT_TEXT_FIELDS) payload = redactField(payload, key, d);
  if (isObject(payload.customData)) {
    const data = payload.customData;
    let out = data;
    for (const [key, value] of Object.entries(data)) {
      out = withField(out, key, typeof value === 'string' ? d.redact(value) : redactStrings(value, d));
    }
    payload = withField(payload, 'customData', out);
  }
  if (isObject(payload.protocolMeta)) {
    payload = withField(payload, 'protocolMeta', redactField(redactField(payload.protocolMeta, 'location', d), 'referrer', d));
  }
  return payload === event.payload ? event : { ...event, payload };
}
