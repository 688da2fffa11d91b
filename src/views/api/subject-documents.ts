import { createHash } from 'node:crypto';
import { Zip, ZipDeflate } from 'fflate';
import type { SubjectLookup, SubjectSection } from '../../model/subject-data.js';
import { sectionRecords } from './subjects.js';

/** What heads every access document and archive manifest: who it is about (by hash), when, and what is held. */
export function documentHead(lookup: SubjectLookup, instanceId: string, at = Date.now()) {
  return { instance: instanceId, subject: lookup.subject, generated: new Date(at).toISOString(), holdings: lookup.holdings };
}

/** The right of access: one JSON document `{ ...head, logs: [...], events: [...], ... }`, produced as it is sent. */
export async function* accessDocument(head: ReturnType<typeof documentHead>, sections: SubjectSection[]): AsyncGenerator<string> {
  yield JSON.stringify(head).slice(0, -1);
  for (const section of sections) {
    yield `,${JSON.stringify(section.name)}:[`;
    let first = true;
    for await (const record of sectionRecords(section)) {
      yield (first ? '' : ',') + JSON.stringify(record);
      first = false;
    }
    yield ']';
  }
  yield '}\n';
}

const README = `This archive holds every record Lethe kept about you when it was made.
Each .jsonl file has one JSON record per line:
- logs.jsonl: conversation messages (what was sent and what the assistant answered);
- events.jsonl: usage-analytics events (searches, clicks, page views);
- exports.jsonl: data exports made by the operator that include your events;
- deletion_jobs.jsonl: deletion requests made for you, with their receipts.
manifest.json lists each file with its number of records and SHA-256, so the archive can be checked for completeness.
`;

/**
 * The right to data portability: a ZIP of JSON Lines files plus a manifest, compressed as it is sent. Each output chunk
 * is yielded as soon as the compressor emits it, so memory stays constant whatever the number of records.
 */
export async function* archive(head: ReturnType<typeof documentHead>, sections: SubjectSection[]): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.push(chunk);
  });
  const encoder = new TextEncoder();
  const files: Record<string, { records: number; sha256: string }> = {};
  const add = async function* (name: string, lines: AsyncIterable<string>, listed = true): AsyncGenerator<Uint8Array> {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    const hash = createHash('sha256');
    let records = 0;
    for await (const line of lines) {
      const bytes = encoder.encode(line);
      hash.update(bytes);
      entry.push(bytes);
      records++;
      yield* out.splice(0);
    }
    entry.push(new Uint8Array(0), true);
    if (listed) files[name] = { records, sha256: hash.digest('hex') };
    yield* out.splice(0);
  };
  yield* add('README.txt', once(README), false);
  for (const section of sections) yield* add(`${section.name}.jsonl`, jsonLines(sectionRecords(section)));
  yield* add('manifest.json', once(`${JSON.stringify({ ...head, files }, null, 2)}\n`), false);
  zip.end();
  yield* out.splice(0);
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function* jsonLines(records: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}
