import type { TrainingCpcSpec } from '@tollpad/card/sim';
import type { GreenChannelView, GreenInspectionAnswer, StoredImage } from '@tollpad/station-api';
import type { SimHandheld } from './handheld';
import { api } from './http';
import { testPng } from './test-png';

/**
 * 【绿通查验】 of a training green truck (green-* ids, issue #22) on its exit: its appointment and ban as the station
 * has them, TEST photos of the load from as many sides as the station asks, fresh vegetables from the catalogue and
 * the verdict 合格; a banned truck's pass is kept but refused. Answers whether it passed (the exit is then kind 21).
 */
export async function inspectGreenLoad(
  hh: SimHandheld,
  txnId: string,
  spec: TrainingCpcSpec,
  say: (line: string) => void,
): Promise<boolean> {
  const view = await hh.call<GreenChannelView>('GET', `/exits/${txnId}/green-inspection`);
  const { appointment, ban } = view.status;
  say(
    `  绿通名单：${appointment ? `已预约（${appointment.version}）` : '无预约'}${ban ? `；禁止：${ban.reason}` : ''}`,
  );
  const photos: string[] = [];
  for (let i = 0; i < view.minPhotos; i++) {
    // A distinct TEST picture per side (the station refuses the same photo twice).
    const img = await api<StoredImage>(hh.opts.stationUrl, 'POST', '/images', {
      token: hh.token,
      raw: { data: testPng(64 + i, 48), type: 'image/png' },
    });
    photos.push(img.sha256);
  }
  const r = await hh.call<GreenInspectionAnswer>('POST', `/exits/${txnId}/green-inspection`, {
    cargo: ['V01'],
    result: 'pass',
    photos,
    note: `训练 ${spec.id} (TEST)`,
  });
  const i = r.inspection;
  say(`  绿通查验 ${i.id}：${i.passed ? '合格，免费通行' : `不予免费（${i.refusal ?? '不合格'}）`}`);
  return i.passed;
}
