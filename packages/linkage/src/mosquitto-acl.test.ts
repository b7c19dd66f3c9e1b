import { describe, expect, it } from 'vitest';
import { laneIdentity, stationIdentity } from './acl';
import { renderMosquittoAcl } from './mosquitto-acl';

// TEST station and lane of the synthetic data.
const STATION = 'G0022370010030';
const LANE = 'G00223700100302010910';

describe('the Mosquitto ACL file', () => {
  it('writes one user block per identity, write for publish grants and read for subscribe grants', () => {
    const acl = renderMosquittoAcl('r', [stationIdentity(STATION), laneIdentity(LANE)]);
    if (!acl.ok) throw acl.error;
    const lines = acl.value.split('\n');
    expect(lines).toContain(`user station-${STATION}`);
    expect(lines).toContain(`topic write r/v1/${STATION}/lanes/+/barrier/command`);
    expect(lines).toContain(`topic read r/v1/${STATION}/lanes/+/status`);
    expect(lines).toContain(`user lane-${LANE}`);
    expect(lines).toContain(`topic read r/v1/${STATION}/lanes/${LANE}/barrier/command`);
    expect(lines).toContain(`topic write r/v1/${STATION}/lanes/${LANE}/status`);
    expect(lines).not.toContain(`topic write r/v1/${STATION}/lanes/${LANE}/barrier/command`);
    // Nothing outside a user block: no `pattern` or anonymous grants.
    expect(lines.filter((l) => l.startsWith('topic')).length).toBe(12);
    expect(acl.value).not.toMatch(/^pattern/m);
  });

  it('refuses a root it could not write on one line', () => {
    expect(renderMosquittoAcl('a b', [])).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });
});
