import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import type { LaneSimConfig } from './config';

/** Shared by the MQTT integration tests (TEST data: synthetic station and lanes). */
export const STATION = 'G0022370010030';
export const LANE_A = 'G00223700100302010910';
export const LANE_B = 'G00223700100302010920';
export const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';

/** A topic root of its own per run, so parallel runs on one broker never see each other. */
export function uniqueRoot(): string {
  return `test-${randomUUID().slice(0, 12)}/tollpad`;
}

export function tradeId(laneId: string, serial: number): string {
  return `${laneId}2024011715${String(serial).padStart(6, '0')}`;
}

export function simConfig(mqttUrl: string, topicRoot: string): LaneSimConfig {
  return {
    mqttUrl,
    embeddedPort: 0,
    stationId: STATION,
    laneIds: [LANE_A, LANE_B],
    topicRoot,
    heartbeatMs: 1_000,
    controlPort: 0,
    motionMs: 20,
    closeDelayMs: 20,
    maxCommandAgeMs: 30_000,
    reconnectPeriodMs: 200,
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts the machine's Mosquitto if it is not listening yet. */
export async function ensureMosquitto(): Promise<void> {
  if (await portOpen(1883)) return;
  spawnSync('mosquitto', ['-d', '-c', '/etc/mosquitto/mosquitto.conf'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (await portOpen(1883)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Mosquitto is not listening on 127.0.0.1:1883');
}

/** Polls until `probe` returns a value; fails with `what` after the bound (a bound, not a timing assertion). */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false,
  boundMs = 8_000,
): Promise<T> {
  const until = Date.now() + boundMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as unknown };
}
