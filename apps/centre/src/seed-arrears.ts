import { TRAINING_ARREARS } from '@tollpad/card/sim';
import { formatVehicleId, type PlateColour } from '@tollpad/domain';
import type { ArrearsEntryInput, ArrearsService } from './services/arrears.service';
import type { TariffService } from './services/tariff.service';

/**
 * TEST arrears for the training plates (`arrears-*`, @tollpad/card/sim): added at every start of a seeded
 * centre; an entry already in the book (open or cleared) is left as it is, so a payback stays paid.
 */
export async function seedArrears(arrears: ArrearsService, tariffs: TariffService): Promise<number> {
  const stations = (await tariffs.activeAt()).network.stations;
  const stationAt = (offset: number) => stations[offset % Math.max(1, stations.length)]?.id ?? '';
  const entries: ArrearsEntryInput[] = TRAINING_ARREARS.flatMap((v) =>
    v.entries.map((e) => ({
      id: e.id,
      vehicleId: formatVehicleId(v.plate, v.colour as PlateColour),
      passId: e.passId,
      realEnStationId: stationAt(e.realEnStationOffset),
      realExStationId: stationAt(0),
      confirmedEscapeTypeName: e.confirmedEscapeTypeName,
      reason: e.reason,
      oweFee: e.oweFee,
      evasionCount: e.evasionCount,
      isPreBlack: e.isPreBlack,
      creationTime: '2026-11-01T08:00:00.000Z',
    })),
  );
  return (await arrears.add(entries)).added;
}
