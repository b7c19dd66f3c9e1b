import type { App } from './app';

/**
 * [P] Deepest nesting of arrays and objects a JSON body may have. The bodies either server takes nest a
 * few levels (a tariff file travels as a string); a body nested thousands deep would only make later
 * recursive code (validation, canonical hashing, logging) overflow the stack: the centre answered 500.
 */
export const JSON_MAX_DEPTH = 32;

/** The body parser refused a JSON body nested deeper than the server allows (a 4xx, never a 500). */
export class BodyTooDeepError extends Error {
  readonly code = 'KIT_ERR_BODY_TOO_DEEP';
  readonly statusCode = 400;

  constructor(readonly maxDepth: number) {
    super(`JSON body nested deeper than ${maxDepth}`);
    this.name = 'BodyTooDeepError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether `text` opens more than `max` arrays/objects inside each other, brackets inside strings not
 * counted. One pass over the characters, no allocation: cheap enough to run before every parse.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  if (text.length <= max) return false; // cannot open more than max brackets
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Fastify's JSON parser by one that first refuses bodies nested deeper than `maxDepth`, then
 * parses exactly as Fastify does (prototype and constructor poisoning refused).
 */
export function boundJsonDepth(app: App, maxDepth: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDeeperThan(text, maxDepth)) {
      done(new BodyTooDeepError(maxDepth), undefined);
      return;
    }
    parse(req, text, done);
  });
}
