import type { GreenChannelView } from '@tollpad/station-api';
import { L } from '../i18n';

/**
 * 【绿通查验】's rules on the handheld, pure (ui/green-inspection.ts draws them): when the step shows, and what
 * must be there before the station is asked (the station checks the same and is the authority).
 */

/** 车种 21 绿通. */
export const GREEN_KIND = 21;

/** Shown for kind 21, a plate with an appointment, an inspection already made, or when the collector opens it. */
export function greenStepShown(view: GreenChannelView | null, kind: number | null, opened: boolean): boolean {
  return opened || kind === GREEN_KIND || !!view?.status.appointment || !!view?.inspection;
}

/** Why the inspection cannot be sent yet (Chinese first), or null. */
export function greenInputError(photos: number, minPhotos: number, cargo: number): string | null {
  if (cargo === 0) return L('请从目录中选择货物品种', 'Pick the cargo from the catalogue');
  if (photos < minPhotos)
    return L(
      `请从车头、车尾、两侧等多个角度拍摄货物照片，至少 ${minPhotos} 张（已拍 ${photos} 张）`,
      `Take at least ${minPhotos} photos of the load from several sides (${photos} so far)`,
    );
  return null;
}

/** The plate's list status in words: the appointment and the ban. */
export function greenStatusLines(view: GreenChannelView): { appointment: string; ban: string | null } {
  const a = view.status.appointment;
  const b = view.status.ban;
  return {
    appointment: a
      ? L(`已预约（${a.reason}，名单版本 ${a.version}）`, `Appointment (${a.reason}, list ${a.version})`)
      : L('无预约', 'No appointment'),
    ban: b
      ? L(
          `绿通禁止：${b.reason}（名单版本 ${b.version}），不能免费通行`,
          `Banned: ${b.reason} (list ${b.version})`,
        )
      : null,
  };
}
