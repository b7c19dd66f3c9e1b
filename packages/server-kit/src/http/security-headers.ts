import type { App } from './app';

/**
 * The API servers' policy: JSON and the Swagger UI (its own scripts and styles from this origin; the UI
 * sets inline styles) — nothing else loads, nothing may frame it.
 */
export const API_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The headers every tollpad HTTP answer carries. HSTS only over https (a browser ignores it on http, and it
 * must not pin a plain-HTTP test server). The camera is allowed for this origin only (the handheld photographs
 * plates); everything else a page could ask for is off.
 */
export function securityHeaderValues(o: { https: boolean; csp: string }): Record<string, string> {
  return {
    'content-security-policy': o.csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
    ...(o.https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/** Adds the security headers to every answer of `app` (errors and 404s included). */
export function securityHeaders(app: App, o: { https: boolean; csp?: string }): void {
  const headers = securityHeaderValues({ https: o.https, csp: o.csp ?? API_CSP });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
