import { buildMinFeeTables, loadTariff, type MinFeeTables, type Network } from '@tollpad/tariff';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import { sha256Hex } from './digest';
import type { Publisher } from './publisher';

export interface TariffVersionInfo {
  version: string;
  activateAt: string;
  publishedAt: string;
  label: string;
  sha256: string;
}

export interface CompiledTariff {
  version: string;
  network: Network;
  tables: MinFeeTables;
}

/** [P] How many compiled versions stay in memory (≈ 20 MB each for a 200-station province). */
const COMPILED_CACHE_SIZE = 3;

/**
 * Tariff publication: versions with activation times. The version in force at time T is the one with the
 * latest activation time ≤ T. Compiled min-fee tables are cached per version; the version list and the
 * station/gantry sets (union over all versions, so a record is never refused just for a timing overlap)
 * are held in memory and refreshed on publish.
 */
export class TariffService {
  private versions: TariffVersionInfo[] = [];
  private readonly compiled = new Map<string, CompiledTariff>();
  /** Compilations in progress, so concurrent first requests share one (≈ 0.2–0.7 s of CPU). */
  private readonly compiling = new Map<string, Promise<CompiledTariff>>();
  private readonly stations = new Set<string>();
  private readonly gantries = new Map<string, { id: string; hex: string }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
    private readonly publisher: Publisher,
  ) {}

  /** Loads the version list and indexes every version's stations and gantries (at start). */
  async load(): Promise<void> {
    const rows = await this.db.selectFrom('tariff_versions').selectAll().orderBy('activate_at').execute();
    this.versions = rows.map(toInfo);
    for (const r of rows) {
      const net = loadTariff(r.content);
      if (net.ok) this.index(net.value);
    }
  }

  list(): { versions: TariffVersionInfo[]; current: string | null; next: TariffVersionInfo | null } {
    const now = this.now().toISOString();
    const current = this.infoAt(now);
    const next = this.versions.find((v) => v.activateAt > now) ?? null;
    return { versions: [...this.versions], current: current?.version ?? null, next };
  }

  /**
   * Publishes and signs a version. An activation before now is refused (a back-dated version would take
   * effect at once); only the genesis version of an empty centre (the seed) may carry a past activation,
   * and it is signed as published at its activation.
   */
  async publish(input: {
    content: string;
    activateAt: Date;
    genesis?: boolean;
  }): Promise<{ info: TariffVersionInfo; created: boolean }> {
    const publishedAt = input.genesis && this.isEmpty ? input.activateAt : this.now();
    if (input.activateAt.getTime() < publishedAt.getTime()) {
      const detail = `activateAt ${input.activateAt.toISOString()} before ${publishedAt.toISOString()}`;
      const id = await this.rejections.keep(
        { kind: 'tariff', code: 'CTR_ERR_TARIFF_BACKDATED', ref: null, detail, body: input.content },
        this.now(),
      );
      throw new CentreError('CTR_ERR_TARIFF_BACKDATED', detail, { rejectionId: id });
    }
    const parsed = loadTariff(input.content);
    if (!parsed.ok) {
      const detail = parsed.error
        .slice(0, 5)
        .map((e) => e.message)
        .join('; ');
      const id = await this.rejections.keep(
        { kind: 'tariff', code: 'CTR_ERR_TARIFF_INVALID', ref: null, detail, body: input.content },
        this.now(),
      );
      throw new CentreError('CTR_ERR_TARIFF_INVALID', detail, { rejectionId: id });
    }
    const net = parsed.value;
    const sha256 = sha256Hex(input.content);
    const existing = this.versions.find((v) => v.version === net.version);
    if (existing) {
      if (existing.sha256 === sha256) return { info: existing, created: false };
      const id = await this.rejections.keep(
        {
          kind: 'tariff',
          code: 'CTR_ERR_TARIFF_VERSION_CONFLICT',
          ref: net.version,
          detail: `version ${net.version} already published with sha256 ${existing.sha256}`,
          body: input.content,
        },
        this.now(),
      );
      throw new CentreError('CTR_ERR_TARIFF_VERSION_CONFLICT', `version ${net.version}`, { rejectionId: id });
    }
    const fields = {
      subject: 'tariff',
      version: net.version,
      activateAt: input.activateAt.toISOString(),
      publishedAt: publishedAt.toISOString(),
    };
    const row = {
      version: net.version,
      activate_at: fields.activateAt,
      published_at: fields.publishedAt,
      label: net.header.label,
      sha256,
      content: input.content,
      signature: this.publisher.sign(fields, new TextEncoder().encode(input.content)),
    };
    await this.db.insertInto('tariff_versions').values(row).execute();
    const info = toInfo(row);
    this.versions = [...this.versions, info].sort((a, b) => a.activateAt.localeCompare(b.activateAt));
    this.index(net);
    return { info, created: true };
  }

  async content(version: string): Promise<string> {
    return (await this.signedFile(version)).content;
  }

  /** A version's file with the publisher's signature (a row stored before signing is signed now). */
  async signedFile(version: string): Promise<{ content: string; signature: string }> {
    const row = await this.db
      .selectFrom('tariff_versions')
      .select(['content', 'signature', 'activate_at', 'published_at'])
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new CentreError('CTR_ERR_TARIFF_NOT_FOUND', version);
    if (row.signature !== null) return { content: row.content, signature: row.signature };
    const signature = this.publisher.sign(
      { subject: 'tariff', version, activateAt: row.activate_at, publishedAt: row.published_at },
      new TextEncoder().encode(row.content),
    );
    await this.db.updateTable('tariff_versions').set({ signature }).where('version', '=', version).execute();
    return { content: row.content, signature };
  }

  /** The compiled tariff in force at `at` (default now). */
  async activeAt(at: Date = this.now()): Promise<CompiledTariff> {
    const info = this.infoAt(at.toISOString());
    if (!info) throw new CentreError('CTR_ERR_TARIFF_NONE_ACTIVE', at.toISOString());
    return this.compile(info.version);
  }

  async compile(version: string): Promise<CompiledTariff> {
    const hit = this.compiled.get(version);
    if (hit) {
      this.compiled.delete(version);
      this.compiled.set(version, hit);
      return hit;
    }
    const pending = this.compiling.get(version);
    if (pending) return pending;
    const p = this.compileUncached(version).finally(() => this.compiling.delete(version));
    this.compiling.set(version, p);
    return p;
  }

  private async compileUncached(version: string): Promise<CompiledTariff> {
    const net = loadTariff(await this.content(version));
    if (!net.ok) throw new CentreError('CTR_ERR_INTERNAL', `stored tariff ${version} no longer loads`);
    const c: CompiledTariff = { version, network: net.value, tables: buildMinFeeTables(net.value) };
    this.compiled.set(version, c);
    while (this.compiled.size > COMPILED_CACHE_SIZE) {
      const oldest = this.compiled.keys().next().value;
      if (oldest === undefined) break;
      this.compiled.delete(oldest);
    }
    return c;
  }

  hasStation(stationId: string): boolean {
    return this.stations.has(stationId);
  }

  /** A gantry by 19-char ID or 6-char hex, in any published version. */
  gantry(idOrHex: string): { id: string; hex: string } | undefined {
    return this.gantries.get(idOrHex) ?? this.gantries.get(idOrHex.toUpperCase());
  }

  get isEmpty(): boolean {
    return this.versions.length === 0;
  }

  private infoAt(iso: string): TariffVersionInfo | undefined {
    let best: TariffVersionInfo | undefined;
    for (const v of this.versions) if (v.activateAt <= iso) best = v;
    return best;
  }

  private index(net: Network): void {
    for (const s of net.stations) this.stations.add(s.id);
    for (const g of net.gantries) {
      const v = { id: g.id, hex: g.hex.toUpperCase() };
      this.gantries.set(g.id, v);
      this.gantries.set(v.hex, v);
    }
  }
}

function toInfo(r: Database['tariff_versions']): TariffVersionInfo {
  return {
    version: r.version,
    activateAt: r.activate_at,
    publishedAt: r.published_at,
    label: r.label,
    sha256: r.sha256,
  };
}
