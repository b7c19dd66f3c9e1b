import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AnyExitRecord,
  type ArrearsPaybackRecord,
  checkExitRecord,
  type GreenInspectionUpload,
  GreenInspectionUploadSchema,
} from '@tollpad/domain';
import { buildMinFeeTables, compileNetwork, generateProvince, localOnlineFeePort } from '@tollpad/tariff';
import { Value } from 'typebox/value';
import { fakeArrearsBook } from './fake-centre-arrears';
import { answerPath } from './fake-centre-path';

/** TEST plate the fake centre holds passages for (its entry: the province's first station), for no-card exits. */
export const NOCARD_SEEN_PLATE = '鲁A80001';

/**
 * A stand-in for the provincial centre's `POST /online-fee` (the only centre call a station exit makes):
 * fits the path on the same synthetic province the station loads by default (SYNTHETIC TEST DATA).
 * Keeps the browser suite to one spawned server while the station runs its real entry point. It also takes the
 * station's record uploads (`POST /records`, checked with the centre's record schema) and answers the online fee
 * by plate with no entry (a no-card exit) for NOCARD_SEEN_PLATE.
 */
export async function startFakeCentre(): Promise<{
  url: string;
  entryStationHex: string;
  /** The records the station uploaded, by trade ID. */
  records: ReadonlyMap<string, AnyExitRecord>;
  /** The 绿通查验 the station uploaded beside their records (`POST /green-inspections`), by trade ID. */
  greenInspections: ReadonlyMap<string, GreenInspectionUpload>;
  /** The payback records (补缴) the station uploaded (`POST /arrears-paybacks`), by trade ID. */
  paybacks: ReadonlyMap<string, ArrearsPaybackRecord>;
  close(): Promise<void>;
}> {
  const net = compileNetwork(generateProvince({}));
  if (!net.ok) throw new Error('synthetic TEST tariff failed to compile');
  const port = localOnlineFeePort(buildMinFeeTables(net.value));
  const records = new Map<string, AnyExitRecord>();
  const greenInspections = new Map<string, GreenInspectionUpload>();
  const firstStation = net.value.stations[0]!.id;
  const arrears = fakeArrearsBook(net.value);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', async () => {
      if (req.method === 'POST' && req.url === '/records') {
        const r = checkExitRecord(JSON.parse(body));
        if (!r.ok) {
          res
            .writeHead(422, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: 'CTR_ERR_RECORD_INVALID' }));
          return;
        }
        records.set(r.value.id, r.value);
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ tradeId: r.value.id }));
        return;
      }
      if (req.method === 'POST' && req.url === '/green-inspections') {
        const u: unknown = JSON.parse(body);
        const key = req.headers['idempotency-key'];
        if (!Value.Check(GreenInspectionUploadSchema, u) || key !== `${u.tradeId}-G`) {
          res
            .writeHead(422, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: 'CTR_ERR_GREEN_INVALID' }));
          return;
        }
        greenInspections.set(u.tradeId, u);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ key }));
        return;
      }
      const owed = arrears.answer(req.method, req.url, body, req.headers['idempotency-key']);
      if (owed) {
        res.writeHead(owed.status, { 'content-type': 'application/json' }).end(JSON.stringify(owed.body));
        return;
      }
      const path = answerPath(req.method, req.url, net.value);
      if (path) {
        res.writeHead(path.status, { 'content-type': path.type }).end(path.body);
        return;
      }
      if (req.method !== 'POST' || req.url !== '/online-fee') {
        res.writeHead(404).end();
        return;
      }
      const b = JSON.parse(body) as {
        plate?: string;
        entryStation?: string;
        exitStation: string;
        vehicleClass: number;
        exitTime: string;
        gantries: { gantry: string; time?: string }[];
      };
      // No entry (a no-card exit): the plate's passages name it, for the one TEST plate this centre saw.
      const entryStation = b.entryStation ?? (b.plate === NOCARD_SEEN_PLATE ? firstStation : undefined);
      if (entryStation === undefined) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, reason: '省中心无该车牌的通行记录 (TEST)' }));
        return;
      }
      const fitted = await port(
        {
          level: 'province',
          entryStation,
          exitStation: b.exitStation,
          vehicleClass: b.vehicleClass,
          exitTime: new Date(b.exitTime),
          gantries: b.gantries.map((g) =>
            g.time ? { gantry: g.gantry, time: new Date(g.time) } : { gantry: g.gantry },
          ),
        },
        new AbortController().signal,
      );
      const r = fitted.ok && b.entryStation === undefined ? { ...fitted, entryStation } : fitted;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(r));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: p } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${p}`,
    // The demo seed's exit is the province's second station; its entry here is the first.
    entryStationHex: net.value.stations[0]!.hex,
    records,
    greenInspections,
    paybacks: arrears.paybacks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
