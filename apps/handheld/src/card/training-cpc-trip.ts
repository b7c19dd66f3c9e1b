import { compileNetwork, generateProvince, type Network, type PlannedTrip, planTrip } from '@tollpad/tariff';

let network: Network | null = null;

/**
 * [P] training convenience: the station's synthetic province (SYNTHETIC TEST DATA, @tollpad/tariff's default
 * seed, what the station uses without a TARIFF_FILE), compiled once in the page. A station on another tariff
 * gets training CPCs whose path its tariff does not know: the fee then falls back like any unknown path.
 */
function syntheticNetwork(): Network {
  if (network) return network;
  const r = compileNetwork(generateProvince({}));
  if (!r.ok) throw new Error('synthetic TEST province did not compile');
  network = r.value;
  return network;
}

/**
 * The trip a training CPC took to this exit, planned by @tollpad/tariff's planTrip (the trip CLI's planner
 * too): entry `offset` stations back on the exit's road, or at the other province's station
 * `foreignEntryHex` when the tariff holds it (the path then crosses the border gantries and each gantry
 * writes its own province's block); the cheapest path for the class, one pass per gantry with its fee,
 * length and province. Null when the synthetic province does not know the exit.
 */
export function planCpcTrip(o: {
  exitStationHex: string;
  offset: number;
  foreignEntryHex?: string;
  vehicleClass: number;
  /** The EF04 byte of a gantry whose ID names no province. */
  province: number;
  entryTime: Date;
  exitTime: Date;
}): PlannedTrip | null {
  const net = syntheticNetwork();
  const foreign = o.foreignEntryHex?.toUpperCase();
  const r = planTrip(net, {
    exitStation: o.exitStationHex,
    offset: o.offset,
    ...(foreign && net.stationByHex.has(foreign) ? { entryStation: foreign } : {}),
    vehicleClass: o.vehicleClass,
    entryTime: o.entryTime,
    exitTime: o.exitTime,
    fallbackProvince: o.province,
  });
  return r.ok ? r.value : null;
}
