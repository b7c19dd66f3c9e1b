import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReaderHub, TrainingFaultAction, TrainingFaultStep } from '../card/reader-hub-types';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { Panel, TopBar } from '../ui/common';
import { TrainingPayCodes } from '../ui/training-pay-codes';

const STEPS: readonly [TrainingFaultStep, string][] = [
  ['read', '读卡时'],
  ['init', '扣款初始化时'],
  ['debit', '扣款(DEBIT)时'],
  ['write', 'CPC写卡(关闭)时'],
];

/** Reader choice and the training panel (vehicle, insert/remove the card, a fault at a chosen step, TEST
 * payment codes). */
export function ReadersScreen(props: { services: AppServices }) {
  return h(
    'div',
    null,
    h(TopBar, { title: L('读卡器', 'Readers'), onBack: () => history.back() }),
    h('main', null, h(ReaderPanels, { hub: props.services.hub })),
  );
}

/** The reader and training panels; also opened in place from the reader bar (the exit screen stays). */
export function ReaderPanels(props: { hub: ReaderHub }) {
  const { hub } = props;
  const [s, setS] = useState(hub.status());
  const [url, setUrl] = useState(s.websocketUrl);
  const [step, setStep] = useState<TrainingFaultStep>('debit');
  const [action, setAction] = useState<TrainingFaultAction>('pull');
  useEffect(() => hub.subscribe(setS), [hub]);

  return h(
    'div',
    null,
    h(
      Panel,
      { title: L('当前读卡器', 'Active reader'), testId: 'reader-choice' },
      h('p', null, `${s.name} · ${s.cardPresent ? L('有卡', 'card present') : L('无卡', 'no card')}`),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            'aria-pressed': s.choice === 'simulated' ? 'true' : 'false',
            onClick: () => hub.choose('simulated'),
          },
          L('模拟读卡器', 'Simulated'),
        ),
        h(
          'button',
          {
            type: 'button',
            'aria-pressed': s.choice === 'websocket' ? 'true' : 'false',
            onClick: () => hub.choose('websocket', url),
          },
          L('读卡桥(WebSocket)', 'Bridge (WebSocket)'),
        ),
      ),
      h('label', { for: 'wsurl' }, L('读卡桥地址', 'Bridge URL')),
      h('input', {
        id: 'wsurl',
        value: url,
        onInput: (e: Event) => setUrl((e.target as HTMLInputElement).value),
      }),
      s.error ? h('p', { class: 'field-error', role: 'alert' }, s.error) : null,
    ),
    h(
      Panel,
      {
        title: L('训练面板（测试数据）', 'Training panel (TEST data)'),
        testId: 'training',
        class: 'training',
      },
      h('label', { for: 'vehicle' }, L('训练车辆', 'Training vehicle')),
      h(
        'select',
        {
          id: 'vehicle',
          value: s.vehicle?.id ?? '',
          onChange: (e: Event) => hub.selectVehicle((e.target as HTMLSelectElement).value),
        },
        (['etc', 'cpc'] as const).map((medium) =>
          h(
            'optgroup',
            {
              key: medium,
              label: medium === 'etc' ? L('ETC车辆', 'ETC vehicles') : L('CPC卡车辆', 'CPC vehicles'),
            },
            hub
              .trainingVehicles()
              .filter((v) => v.medium === medium)
              .map((v) => h('option', { key: v.id, value: v.id }, v.label)),
          ),
        ),
      ),
      h(
        'div',
        { class: 'row', style: 'margin-top:8px' },
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'new-vehicle',
            onClick: () => s.vehicle && hub.selectVehicle(s.vehicle.id),
          },
          L('新车到达', 'New vehicle'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'insert-card',
            disabled: s.cardPresent,
            onClick: () => hub.insertCard(),
          },
          L('插入卡片', 'Insert card'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'remove-card',
            disabled: !s.cardPresent,
            onClick: () => hub.removeCard(),
          },
          L('拔出卡片', 'Remove card'),
        ),
      ),
      h('label', { for: 'fault-step' }, L('故障步骤', 'Fault at step')),
      h(
        'select',
        {
          id: 'fault-step',
          value: step,
          onChange: (e: Event) => setStep((e.target as HTMLSelectElement).value as TrainingFaultStep),
        },
        STEPS.map(([k, n]) => h('option', { key: k, value: k }, n)),
      ),
      h('label', { for: 'fault-action' }, L('故障类型', 'Fault')),
      h(
        'select',
        {
          id: 'fault-action',
          value: action,
          onChange: (e: Event) => setAction((e.target as HTMLSelectElement).value as TrainingFaultAction),
        },
        h('option', { value: 'pull' }, L('拔卡（断电）', 'Pull the card')),
        h('option', { value: 'reload' }, L('页面重载（死机）', 'Reload the page')),
      ),
      h(
        'div',
        { class: 'row', style: 'margin-top:8px' },
        h(
          'button',
          { type: 'button', 'data-testid': 'arm-fault', onClick: () => hub.armFault({ step, action }) },
          L('设置故障', 'Arm fault'),
        ),
        h(
          'button',
          { type: 'button', disabled: !s.fault, onClick: () => hub.armFault(null) },
          L('取消故障', 'Disarm'),
        ),
      ),
      h(
        'p',
        { 'data-testid': 'fault-state' },
        s.fault
          ? `${L('已设置', 'Armed')}: ${s.fault.step}/${s.fault.action}`
          : L('无故障', 'No fault armed'),
      ),
      hub.driverCards && hub.driverCards().length > 0
        ? h(
            'div',
            { 'data-testid': 'training-driver-cards' },
            h(
              'p',
              null,
              L(
                'CPC车辆：司机递交自己的ETC卡支付（测试卡）',
                "CPC vehicle: the driver's own ETC card (TEST)",
              ),
            ),
            h(
              'div',
              { class: 'row' },
              hub.driverCards().map((c) =>
                h(
                  'button',
                  {
                    key: c.id,
                    type: 'button',
                    'data-testid': `hand-over-${c.id}`,
                    onClick: () => hub.handOverDriverCard?.(c.id),
                  },
                  c.label,
                ),
              ),
              h(
                'button',
                {
                  type: 'button',
                  'data-testid': 'return-vehicle-card',
                  onClick: () => hub.returnVehicleCard?.(),
                },
                L('交还司机ETC卡，放回CPC卡', 'Return it, CPC back on the reader'),
              ),
            ),
          )
        : null,
      h(TrainingPayCodes, null),
    ),
  );
}
