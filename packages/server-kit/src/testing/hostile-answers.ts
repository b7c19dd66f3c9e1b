import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { HostileRequest } from './hostile-requests';
import { rawRequest } from './raw-http';

/** The part of a server's OpenAPI document the hostile-input tests read: each route's documented statuses. */
export interface OpenApiResponses {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

/** Puts the app on a free loopback port (plain HTTP) and reads the OpenAPI document it serves. */
export async function hostileTarget(
  app: FastifyInstance,
): Promise<{ port: number; openapi: OpenApiResponses }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const openapi = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as OpenApiResponses;
  return { port, openapi };
}

/** A server's error catalogue: code → its HTTP status. */
export type StatusCatalogue = Readonly<Record<string, { readonly status: number }>>;

/** Each status the catalogue can answer that a route of the document does not list, as `method path status`. */
export function undocumentedStatuses(openapi: OpenApiResponses, catalogue: StatusCatalogue): string[] {
  const statuses = new Set(Object.values(catalogue).map((e) => String(e.status)));
  return Object.entries(openapi.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) =>
      [...statuses].filter((s) => !(s in op.responses)).map((s) => `${method} ${path} ${s}`),
    ),
  );
}

/**
 * Sends each probe to the server on `port` (plain HTTP on loopback) and names each answer that is not the
 * probe's status with a catalogue code of that status, documented on every route; empty when all are.
 */
export async function hostileFailures(
  port: number,
  probes: readonly HostileRequest[],
  catalogue: StatusCatalogue,
  openapi: OpenApiResponses,
): Promise<string[]> {
  const failures: string[] = [];
  for (const p of probes) {
    const r = await rawRequest(port, p.request);
    const code = (r?.json as { code?: string } | undefined)?.code;
    const entry = code === undefined ? undefined : catalogue[code];
    const documented = Object.values(openapi.paths).every((ops) =>
      Object.values(ops).every((op) => String(r?.status) in op.responses),
    );
    if (r?.status !== p.status || entry?.status !== r.status || !documented) {
      failures.push(`${p.name}: ${r?.status} ${r?.body.slice(0, 160)} (documented: ${documented})`);
    }
  }
  return failures;
}
