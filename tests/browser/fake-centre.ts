import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildMinFeeTables, compileNetwork, generateProvince, localOnlineFeePort } from '@tollpad/tariff';

/**
 * A stand-in for the provincial centre's `POST /online-fee` (the only centre call a station exit makes):
 * fits the path on the same synthetic province the station loads by default (SYNTHETIC TEST DATA).
 * Keeps the browser suite to one spawned server while the station runs its real entry point.
 */
export async function startFakeCentre(): Promise<{
  url: string;
  entryStationHex: string;
  close(): Promise<void>;
}> {
  const net = compileNetwork(generateProvince({}));
  if (!net.ok) throw new Error('synthetic TEST tariff failed to compile');
  const port = localOnlineFeePort(buildMinFeeTables(net.value));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', async () => {
      if (req.method !== 'POST' || req.url !== '/online-fee') {
        res.writeHead(404).end();
        return;
      }
      const b = JSON.parse(body) as {
        entryStation: string;
        exitStation: string;
        vehicleClass: number;
        exitTime: string;
        gantries: { gantry: string; time?: string }[];
      };
      const r = await port(
        {
          level: 'province',
          entryStation: b.entryStation,
          exitStation: b.exitStation,
          vehicleClass: b.vehicleClass,
          exitTime: new Date(b.exitTime),
          gantries: b.gantries.map((g) =>
            g.time ? { gantry: g.gantry, time: new Date(g.time) } : { gantry: g.gantry },
          ),
        },
        new AbortController().signal,
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(r));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: p } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${p}`,
    // The demo seed's exit is the province's second station; its entry here is the first.
    entryStationHex: net.value.stations[0]!.hex,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
