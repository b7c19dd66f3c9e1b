import { hexToBytes, PsamDriver } from '@tollpad/card';
import { type VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import { callJson, type RetryStats } from './station-client';

/**
 * Start of shift for a handheld's PSAM (and again after a restart): the module in a virtual reader,
 * authorised online at the centre for this lane.
 */
export async function openPsamAtCentre(
  psamCard: VirtualPsam,
  c: { centreUrl: string; laneId: string; stats: RetryStats },
): Promise<PsamDriver> {
  const reader = new VirtualReader('psam');
  reader.insert(psamCard);
  const driver = new PsamDriver(reader, {
    authoriser: {
      authorise: async (req) => {
        const r = await callJson<{ apdu: string }>(
          c.centreUrl,
          'POST',
          '/psam/auth',
          {
            body: {
              laneId: c.laneId,
              terminalNo: req.terminalId,
              psamNo: req.psamSerial,
              version: req.version,
              keyType: req.keyType,
              random: req.challenge.slice(0, 8),
            },
          },
          c.stats,
        );
        return hexToBytes(r.value.apdu);
      },
    },
  });
  await driver.open();
  return driver;
}
