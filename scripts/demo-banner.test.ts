import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../apps/station/src/seed';
import { demoBanner } from './demo-banner';

const banner = demoBanner({
  handheldUrl: 'https://127.0.0.1:8088',
  stationUrl: 'https://127.0.0.1:8080',
  centreUrl: 'https://127.0.0.1:8090',
  laneSimUrl: 'http://127.0.0.1:8091',
  paygate: {
    url: 'https://127.0.0.1:8490',
    caFile: '/tmp/demo/paygate/tls/ca.cert.pem',
    merchantId: 'TESTMCH0001',
  },
  mqttUrl: 'mqtt://127.0.0.1:1883',
  stationCaFile: '/tmp/demo/tls/ca.cert.pem',
  laneId: 'G00223700100302010910',
  stationId: 'G0022370010030',
  runtime: 'Node v24',
  trainingVehicles: [{ id: 'car', label: 'TEST 小客车' }],
  trainingCpcs: [{ id: 'cpc-car', label: 'TEST CPC小客车' }],
});

/** The text about one URL: its line and the indented lines under it that name no other URL. */
function about(url: string): string {
  const at = banner.findIndex((l) => l.includes(url));
  expect(at, `${url} is in the banner`).toBeGreaterThanOrEqual(0);
  const lines = [banner[at] ?? ''];
  for (const l of banner.slice(at + 1)) {
    if (!/^ {20,}\S/.test(l) || /\w+:\/\//.test(l)) break;
    lines.push(l);
  }
  return lines.join('\n');
}

describe('the demo banner', () => {
  it('lists the training CPCs beside the training vehicles, each with its id', () => {
    const at = banner.findIndex((l) => l.includes('训练CPC车辆'));
    expect(at).toBeGreaterThan(banner.findIndex((l) => l.includes('训练车辆')));
    expect(banner[at + 1]).toMatch(/^ {4}cpc-car {2,}TEST CPC小客车$/);
  });

  it('says for every URL it prints whether it needs a login', () => {
    const urls = banner.flatMap((l) => l.match(/\w+:\/\/[^\s·]+/g) ?? []);
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const url of urls) {
      const line = banner.find((l) => l.includes(url)) ?? '';
      expect(`${line}\n${about(url)}`, url).toMatch(/无需登录|需登录|客户端证书|MQTT 账号/);
    }
  });

  it('names the demo account for the handheld page and for the monitor-only outbox', () => {
    expect(about('https://127.0.0.1:8088/')).toContain(
      '需登录 login: 收费员 demo-collector (终端 HH-DEMO-01)',
    );
    const outbox = banner.find((l) => l.includes('/outbox')) ?? '';
    expect(outbox).toContain('需登录');
    expect(outbox).toContain('demo-monitor');
  });

  it('says which URLs are open without a login', () => {
    expect(about('http://127.0.0.1:8091/lanes')).toContain('无需登录');
    expect(about('https://127.0.0.1:8080/docs')).toContain('文档无需登录');
    expect(banner.find((l) => l.includes('/metrics'))).toContain('本机无需登录');
  });

  it('keeps the labels, the TEST accounts and the ready line the demo smoke test reads', () => {
    const text = banner.join('\n');
    for (const label of ['手持机 handheld', '收费站 station API', '省中心 centre API', '车道模拟 lane-sim']) {
      expect(text).toContain(label);
    }
    for (const a of DEMO_ACCOUNTS) expect(text).toContain(`${a.username}`);
    expect(text).toContain('demo-collector-TEST');
    expect(text).toMatch(/演示 CA \(TEST\)\s+\/tmp\/demo\/tls\/ca\.cert\.pem/);
    expect(banner.at(-1)).toContain('tollpad demo ready');
  });

  it('says when the handheld page is not built instead of printing a URL', () => {
    const unbuilt = demoBanner({
      handheldUrl: undefined,
      stationUrl: 'http://127.0.0.1:8080',
      centreUrl: 'https://127.0.0.1:8090',
      laneSimUrl: 'http://127.0.0.1:8091',
      paygate: undefined,
      mqttUrl: 'mqtt://127.0.0.1:1883',
      stationCaFile: undefined,
      laneId: 'L',
      stationId: 'S',
      runtime: 'Node v24',
      trainingVehicles: [],
      trainingCpcs: [],
    });
    expect(unbuilt.find((l) => l.includes('手持机 handheld'))).toContain('未构建');
    expect(unbuilt.join('\n')).not.toContain('支付平台');
  });

  it('lists the payment platform with its TEST merchant, a TEST payment code and its CA', () => {
    const text = about('https://127.0.0.1:8490/docs');
    expect(text).toContain('文档无需登录');
    expect(text).toContain('TESTMCH0001');
    expect(text).toMatch(/TEST 付款码.*\b1345\d{14}\b/);
    expect(text).toContain('/tmp/demo/paygate/tls/ca.cert.pem');
  });
});
