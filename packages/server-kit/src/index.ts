// Node-only server plumbing shared by apps/station and apps/centre (imports node: modules by design).

export { envOnlyCommandLine } from './cli/env-only-command-line';
export { type DialectName, type EngineErrors, errCode, postgresErrors, sqliteErrors } from './db/engine';
export { runMigrations } from './db/migrate';
export { type Closable, type DatabaseOptions, openedWith, openMigrated } from './db/open';
export { openPostgresKysely } from './db/postgres';
export { openSqliteKysely, type SqliteOptions } from './db/sqlite';
export { timeOrderedId } from './db/time-ordered-id';
export type { FlushObserver } from './db/wal-sync';
export {
  type App,
  answerErrors,
  createFastify,
  type ErrorAnswers,
  observeRequests,
  type RouteEntry,
  requireRouteAccess,
} from './http/app';
export {
  CatalogueError,
  catalogueErrorOf,
  type ErrorBody,
  type ErrorCatalogue,
  errorBodyOf,
  type FailureCodes,
  type FailureKind,
  failureKind,
} from './http/errors';
export { createHttpMetrics, type HttpMetrics } from './http/metrics';
export { securityHeaders, securityHeaderValues } from './http/security-headers';
export { errorResponsesOf, metricsRoute } from './http/system';
export { checkServerRuntime } from './runtime/native-addons';
export {
  hostileFailures,
  hostileTarget,
  type OpenApiResponses,
  type StatusCatalogue,
  undocumentedStatuses,
} from './testing/hostile-answers';
export { type HostileRequest, hostileRequests } from './testing/hostile-requests';
export { httpsJson, type JsonAnswer } from './testing/https-json';
export { rawHttp, rawRequest } from './testing/raw-http';
export { createTestDatabase, DIALECTS, type TestDatabase } from './testing/test-db';
export { caPaths, loadOrCreateCa } from './tls/ca-store';
export {
  type CaOptions,
  type CertificateAuthority,
  type ClientCertOptions,
  createCa,
  issueClientCert,
  issueServerCert,
  type ServerCertOptions,
  type TlsIdentity,
} from './tls/certificates';
export {
  clientTlsOptions,
  peerIdentity,
  type ServerTlsOptions,
  serverTlsOptions,
  spkiSha256,
} from './tls/options';
