import type { Network } from '@tollpad/tariff';

/**
 * [P] The entry station of a vehicle seen first at this gantry and at no entry lane: the station nearest
 * upstream of the gantry's interval (shortest distance against the direction of travel). The station an
 * untracked vehicle entered is not known; the nearest one is the least it can have driven, so the fee
 * fitted from it is the least the path evidence supports. Undefined when no station leads to the gantry.
 */
export function upstreamStation(net: Network, gantry: string): number | undefined {
  const g = net.gantryIndex.get(gantry) ?? net.gantryByHex.get(gantry.toUpperCase());
  if (g === undefined) return undefined;
  const start = net.edgeFrom[net.gantryEdge[g]!]!;
  const into = incomingEdges(net);
  const dist = new Float64Array(net.nodeCount).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(net.nodeCount);
  dist[start] = 0;
  // The network is small (≤ 1500 nodes): a linear scan for the nearest open node is enough.
  for (;;) {
    let u = -1;
    for (let n = 0; n < net.nodeCount; n++)
      if (!done[n] && dist[n]! < Number.POSITIVE_INFINITY && (u < 0 || dist[n]! < dist[u]!)) u = n;
    if (u < 0) return undefined;
    if (u < net.stationCount) return u;
    done[u] = 1;
    for (const e of into[u]!) {
      const v = net.edgeFrom[e]!;
      const d = dist[u]! + net.edgeLength[e]!;
      if (d < dist[v]!) dist[v] = d;
    }
  }
}

const incoming = new WeakMap<Network, number[][]>();

/** The edges arriving at each node (the network keeps only the outgoing ones), once per network. */
function incomingEdges(net: Network): number[][] {
  let into = incoming.get(net);
  if (into) return into;
  into = Array.from({ length: net.nodeCount }, () => [] as number[]);
  for (let e = 0; e < net.edgeTo.length; e++) into[net.edgeTo[e]!]!.push(e);
  incoming.set(net, into);
  return into;
}
