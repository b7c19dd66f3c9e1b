import { runStationBenchmarks } from './bench';

console.table(
  (await runStationBenchmarks({ dialects: ['sqlite'] })).map((r) => [r.name, r.value.toFixed(1), r.unit]),
);
