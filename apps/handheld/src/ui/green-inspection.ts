import { GREEN_CARGO_CATALOGUE } from '@tollpad/domain';
import { h } from 'preact';
import { greenStatusLines, greenStepShown } from '../exit/green-inspection';
import type { GreenInspectionStep } from '../exit/use-green-inspection';
import { L } from '../i18n';
import { CameraCapture } from './camera';
import { ErrorBox, KV, Panel } from './common';

const RESULT_TEXT = { pass: '合格', fail: '不合格', mixed: '混装' } as const;

/**
 * 【绿通查验】 on every exit medium's screen (under the vehicle panel): the plate's appointment and ban, photos of
 * the load from several sides, the cargo from the national catalogue, then 合格 / 不合格 / 混装. Closed behind a
 * button unless the kind is 21 or the plate has an appointment.
 */
export function GreenInspectionPanel(props: {
  g: GreenInspectionStep;
  plate: string;
  kind: number | null;
  training: boolean;
  disabled: boolean;
}) {
  const { g } = props;
  if (!g.inspectable && !g.inspection) return null;
  if (!greenStepShown(g.view, props.kind, g.opened))
    return h(
      'button',
      { type: 'button', 'data-testid': 'green-open', style: 'width:100%;margin-top:8px', onClick: g.open },
      '【绿通查验】',
    );
  const lines = g.view ? greenStatusLines(g.view) : null;
  const done = g.inspection;
  const locked = props.disabled || g.busy || !g.inspectable;
  return h(
    Panel,
    { title: L('绿通查验', 'Green-channel inspection'), testId: 'green-area' },
    lines
      ? h(KV, {
          testId: 'green-status',
          rows: [
            [L('预约', 'Appointment'), lines.appointment],
            [L('禁止', 'Ban'), lines.ban ?? L('无', 'None')],
          ],
        })
      : null,
    lines?.ban ? h('p', { class: 'error', role: 'alert', 'data-testid': 'green-ban' }, lines.ban) : null,
    done
      ? h(
          'p',
          { class: done.passed ? 'success' : 'error', role: 'status', 'data-testid': 'green-result' },
          done.passed
            ? L('查验合格：绿通免费通行', 'Passed: free passage')
            : `${L('查验', 'Inspection')}${RESULT_TEXT[done.result]}：${done.refusal ?? L('按普通车收费', 'normal fee')}`,
        )
      : null,
    h(
      'p',
      { style: 'margin:6px 0' },
      L(
        `货物照片（车头、车尾、两侧，至少 ${g.view?.minPhotos ?? 3} 张）：已拍 ${g.photos.length} 张`,
        `Load photos (front, back, sides; at least ${g.view?.minPhotos ?? 3}): ${g.photos.length}`,
      ),
    ),
    h(
      'div',
      { class: 'photo-row', 'data-testid': 'green-photos' },
      g.photos.map((_p, i) =>
        h(
          'button',
          {
            type: 'button',
            key: String(i),
            disabled: locked,
            onClick: () => g.removePhoto(i),
          },
          L(`删除照片 ${i + 1}`, `Remove photo ${i + 1}`),
        ),
      ),
    ),
    h(CameraCapture, {
      photo: null,
      onPhoto: g.addPhoto,
      training: props.training,
      // A distinct training picture per side (the station refuses the same photo twice).
      plate: `${props.plate} ${L('货物', 'load')}${g.photos.length + 1}`,
      disabled: locked,
      testId: 'green-take-photo',
      label: L(`拍摄货物照片（第 ${g.photos.length + 1} 张）`, `Photo of the load (${g.photos.length + 1})`),
    }),
    h(
      'fieldset',
      { 'data-testid': 'green-cargo', style: 'margin-top:8px' },
      h('legend', null, L('货物品种（鲜活农产品品种目录）', 'Cargo (fresh produce catalogue)')),
      GREEN_CARGO_CATALOGUE.map((c) =>
        h(
          'details',
          { key: c.code },
          h('summary', null, c.name),
          c.items.map((i) =>
            h(
              'label',
              { key: i.code, style: 'display:block' },
              h('input', {
                type: 'checkbox',
                'data-testid': `cargo-${i.code}`,
                checked: g.cargo.includes(i.code),
                disabled: locked,
                onChange: () => g.toggleCargo(i.code),
              }),
              ` ${i.name}`,
            ),
          ),
        ),
      ),
    ),
    h(ErrorBox, { error: g.error, testId: 'green-error' }),
    h(
      'div',
      { style: 'display:flex;gap:8px;margin-top:8px' },
      (['pass', 'fail', 'mixed'] as const).map((r) =>
        h(
          'button',
          {
            type: 'button',
            key: r,
            class: r === 'pass' ? 'primary' : undefined,
            'data-testid': `green-${r}`,
            disabled: locked,
            onClick: () => void g.submit(r),
          },
          RESULT_TEXT[r],
        ),
      ),
    ),
  );
}
