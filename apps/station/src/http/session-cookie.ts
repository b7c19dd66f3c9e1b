import type { IncomingHttpHeaders } from 'node:http';
import { StationError } from '../errors';

/**
 * The header the handheld's own script adds to every call. A cross-site form, link or image cannot add a
 * custom header (and a cross-site fetch that does needs a CORS preflight the station never grants), so the
 * session cookie counts only beside it; SameSite=Strict is the second wall.
 */
export const SESSION_CSRF_HEADER = 'x-tollpad-csrf';

/**
 * On HTTPS the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain, so no other host
 * (a sibling subdomain) can plant or overwrite it. Plain HTTP (asked for explicitly) cannot use the prefix.
 */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-tollpad-session' : 'tollpad-session';
}

/** Whether a login asked for the cookie: only the handheld's script sends the header. */
export function wantsSessionCookie(headers: IncomingHttpHeaders): boolean {
  return headers[SESSION_CSRF_HEADER] === '1';
}

/** Set-Cookie for a new session: script cannot read it (HttpOnly), no other site sends it (Strict). */
export function sessionCookie(token: string, expiresAt: string, now: Date, https: boolean): string {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000));
  return cookie(sessionCookieName(https), token, maxAge, https);
}

/** Set-Cookie that makes the browser drop the session cookie. */
export function clearedSessionCookie(https: boolean): string {
  return cookie(sessionCookieName(https), '', 0, https);
}

function cookie(name: string, value: string, maxAge: number, https: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${https ? '; Secure' : ''}`;
}

/**
 * The session token of a request: the bearer token (trip CLI, simulators, tests), else the session cookie,
 * which counts only with the handheld's header. Undefined when neither is there (the caller answers 401).
 */
export function sessionTokenOf(headers: IncomingHttpHeaders, https: boolean): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  const token = cookieValue(headers.cookie, sessionCookieName(https));
  if (!token) return undefined;
  if (!wantsSessionCookie(headers)) throw new StationError('STN_ERR_AUTH_CSRF');
  return token;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
