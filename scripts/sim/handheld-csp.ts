/**
 * The handheld page's Content-Security-Policy: its own scripts only (no inline script, no eval), API calls
 * to its own origin, and the card-reader bridge on the phone's loopback (ws:, any port: the bridge port is
 * configured on the phone). Photos are shown from blob:/data: URLs; styles allow inline attributes (the
 * loading placeholder), which cannot run script.
 */
export const HANDHELD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:* wss://127.0.0.1:* wss://localhost:*",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
