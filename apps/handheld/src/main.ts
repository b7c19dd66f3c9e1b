import './styles.css';
import { h, render } from 'preact';
import { StationClient } from './api/station-client';
import { App } from './app';
import { LazyCardDesk, LazyCpcDesk, LazyPayCardDesk, LazyReaderHub } from './card/lazy';
import { currentLang } from './i18n';
import { IdbJournal, MemoryJournal } from './journal/idb-journal';
import type { PendingCpcWrite } from './journal/pending-cpc';
import type { AppServices } from './services';
import { loadSession, saveSession } from './session';

const session = loadSession();
const client = new StationClient({ baseUrl: session.baseUrl, signedIn: session.signedIn });
let stationHex: string | null = localStorage.getItem('tollpad.stationHex');
const lanesHex = new Map<string, string>();
const journal = typeof indexedDB === 'undefined' ? new MemoryJournal() : new IdbJournal();
const cpcJournal =
  typeof indexedDB === 'undefined'
    ? new MemoryJournal<PendingCpcWrite>()
    : new IdbJournal<PendingCpcWrite>('pending-cpc-writes');
const params = new URLSearchParams(location.search);

// The card layer is its own chunk, loaded right after the first screen is drawn.
const runtime = import('./card/runtime').then((m) =>
  m.createCardRuntime({
    stationHex: () => stationHex,
    laneHex: (id) => lanesHex.get(id) ?? null,
    journal,
    ...(params.get('psam') ? { psamTerminalNo: params.get('psam')! } : {}),
  }),
);

const services: AppServices = {
  client,
  hub: new LazyReaderHub(runtime.then((r) => r.hub)),
  desk: new LazyCardDesk(runtime.then((r) => r.desk)),
  cpc: new LazyCpcDesk(runtime.then((r) => r.cpc)),
  payCard: new LazyPayCardDesk(runtime.then((r) => r.payCard)),
  journal,
  cpcJournal,
  session,
  persistSession: () => saveSession(session),
  setStationHex: (hex) => {
    stationHex = hex;
    localStorage.setItem('tollpad.stationHex', hex);
  },
  setLaneHex: (id, hex) => lanesHex.set(id, hex),
};

document.documentElement.lang = currentLang();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(h(App, { services }), root);
}

// The hand-written service worker caches the app shell so a reload works without network.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('./sw.js').catch(() => undefined);
}
