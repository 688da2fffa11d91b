import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../model/errors.js';

/** Deeper than any real Watson, Coveo or Lethe body; deep enough nesting makes JSON.stringify overflow the stack. */
export const MAX_JSON_DEPTH = 64;

/** Throws if `text` nests arrays/objects deeper than MAX_JSON_DEPTH; one pass over the text, brackets in strings skipped. */
export function checkJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) throw new BadRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, 'InvalidJson');
    } else if (c === 125 || c === 93) depth--;
  }
}

/** Fastify's own JSON parser (prototype-poisoning checks included) behind the depth check. */
export function limitJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      checkJsonDepth(body as string);
    } catch (err) {
      return done(err as Error, undefined);
    }
    parse(request, body as string, done);
  });
}
