import './styles.css';
import { h, render } from 'preact';
import { StationClient } from './api/station-client';
import { App } from './app';
import { EtcCardDesk } from './card/etc-desk';
import { virtualPsam } from './card/psam';
import { DefaultReaderHub } from './card/reader-hub';
import { currentLang } from './i18n';
import { IdbJournal, MemoryJournal } from './journal/idb-journal';
import type { AppServices } from './services';
import { loadSession, saveSession } from './session';

const session = loadSession();
const client = new StationClient({ baseUrl: session.baseUrl, token: session.token });
let stationHex: string | null = localStorage.getItem('tollpad.stationHex');
const lanesHex = new Map<string, string>();
const hub = new DefaultReaderHub(() => stationHex);
const journal = typeof indexedDB === 'undefined' ? new MemoryJournal() : new IdbJournal();
const params = new URLSearchParams(location.search);
const desk = new EtcCardDesk(hub, virtualPsam(params.get('psam') ?? undefined), journal, {
  stationHex: () => stationHex,
  laneNo: (laneId) => Number.parseInt((lanesHex.get(laneId) ?? '01').slice(-2), 16) || 1,
  layout0019: '2019',
});

const services: AppServices = {
  client,
  hub,
  desk,
  journal,
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
