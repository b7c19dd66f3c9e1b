import type { PreparedExit, SimHandheld, VehicleSpec } from './testing/sim-handheld';

/**
 * The card work of `n` exits per handheld (read + composite purchase on TEST cards), done before a
 * measured phase: on a plaza it runs on the handhelds, not on the station. One list per handheld.
 */
export async function prepareExits(
  handhelds: readonly SimHandheld[],
  n: number,
  vehicle: () => VehicleSpec,
  fee: number,
): Promise<PreparedExit[][]> {
  const all: PreparedExit[][] = [];
  for (const hh of handhelds) {
    const mine: PreparedExit[] = [];
    for (let k = 0; k < n; k++) mine.push(await hh.prepare(vehicle(), fee));
    all.push(mine);
  }
  return all;
}
