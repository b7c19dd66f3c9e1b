import { Fragment, h, type VNode } from 'preact';
import type { ExitTxn } from '../api/types';
import type { Draft } from '../exit/draft';
import type { ExitAllowed, ExitPhase } from '../exit/phase';
import type { ExitEdits } from '../exit/use-exit-steps';
import type { GreenInspectionStep } from '../exit/use-green-inspection';
import { L } from '../i18n';
import { ArrearsBanner, type ArrearsLookupClient } from './arrears-banner';
import { EntryStationInput } from './entry-station';
import { GreenInspectionPanel } from './green-inspection';
import { ImagePanel } from './image-panel';
import type { PathClient } from './path-panel';
import { PathToggle } from './path-toggle';
import { VehiclePanel } from './vehicle-panel';

/** What the image and vehicle panels read of an exit of any medium (use-exit-steps.ts gives each). */
export interface VehicleStepsSource {
  draft: Pick<
    Draft<unknown>,
    'plate' | 'colour' | 'imageSubmitted' | 'vehicleClass' | 'vehicleKind' | 'entryStation'
  >;
  txn: ExitTxn | null;
  phase: ExitPhase;
  photo: Blob | null;
  upload: number;
  plateError: string | null;
  training: boolean;
  entryNeeded: boolean;
  edit: ExitEdits;
  submitImage: () => Promise<void>;
  computeFee: () => Promise<void>;
  /** The station, for 【通行路径】 (path-toggle.ts) and the arrears banner; without it neither is shown. */
  client?: PathClient & ArrearsLookupClient;
  /** 【绿通查验】 (use-green-inspection.ts). */
  green: GreenInspectionStep;
}

/**
 * The steps every exit medium shares on its screen, once a transaction is open: the image (实际车牌, photo,
 * 【提交图片数据】) and the vehicle (class, kind, the stated entry when the station asks, 【算费】).
 */
export function ExitVehicleSteps(props: {
  x: VehicleStepsSource;
  allowed: ExitAllowed;
  /** The exit is finished (its result is shown): no more hints. */
  done: boolean;
}): VNode | null {
  const { x, allowed, done } = props;
  const { draft, txn, phase } = x;
  if (!txn) return null;
  return h(
    Fragment,
    null,
    // 追缴: the chase-list hit (at 【读卡】 or the plate) with the amounts and why, and 【补缴】, on every medium.
    x.client
      ? h(ArrearsBanner, {
          client: x.client,
          txn,
          laneId: txn.laneId,
          plate: draft.plate,
          colour: draft.colour,
        })
      : null,
    h(ImagePanel, {
      plate: draft.plate,
      colour: draft.colour,
      plateError: x.plateError,
      photo: x.photo,
      training: x.training,
      uploading: phase === 'uploading' ? x.upload : null,
      submitted: draft.imageSubmitted,
      disabled: allowed.locked,
      onPlate: x.edit.plate,
      onColour: x.edit.colour,
      onPhoto: x.edit.photo,
      onSubmit: x.submitImage,
    }),
    // 【通行路径】 on every medium's exit (ETC, CPC, no card), loaded when first opened.
    x.client ? h(PathToggle, { client: x.client, exitId: txn.id }) : null,
    h(
      VehiclePanel,
      {
        vehicleClass: draft.vehicleClass,
        vehicleKind: draft.vehicleKind,
        disabled: allowed.locked,
        canPrice: allowed.canPrice,
        pricing: phase === 'pricing',
        hint:
          !draft.imageSubmitted && !done ? L('请先【提交图片数据】', 'Submit the image data first') : null,
        onClass: x.edit.vehicleClass,
        onKind: x.edit.vehicleKind,
        onPrice: x.computeFee,
      },
      x.entryNeeded
        ? h(EntryStationInput, {
            value: draft.entryStation ?? '',
            disabled: allowed.locked,
            onChange: x.edit.entryStation,
          })
        : null,
    ),
    h(GreenInspectionPanel, {
      g: x.green,
      plate: draft.plate,
      kind: draft.vehicleKind,
      training: x.training,
      disabled: allowed.locked,
    }),
  );
}
