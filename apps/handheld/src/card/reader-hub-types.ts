import type { Reader } from '@tollpad/card';

export type ReaderChoice = 'simulated' | 'websocket';

/**
 * The step of the exit at which the training panel makes something go wrong: the ETC purchase's read,
 * INITIALIZE and DEBIT, or the CPC exit write (UPDATE BINARY).
 */
export type TrainingFaultStep = 'read' | 'init' | 'debit' | 'write';
/** Pull the card (a tear) or reload the page (a crash) at that step. */
export type TrainingFaultAction = 'pull' | 'reload';

export interface TrainingVehicle {
  id: string;
  /** What the vehicle carries: an ETC card (in its OBU) or a CPC handed out at entry. */
  medium: 'etc' | 'cpc';
  /** Chinese label shown in the panel. */
  label: string;
  /** The plate actually on the vehicle (what the collector sees), may differ from the card's. */
  actualPlate: string;
  actualColour: number;
}

export interface ReaderStatus {
  choice: ReaderChoice;
  name: string;
  /** Connected to its transport (always true for the simulated reader). */
  linked: boolean;
  cardPresent: boolean;
  /** Simulated only: the training vehicle whose card is in use. */
  vehicle: TrainingVehicle | null;
  websocketUrl: string;
  fault: { step: TrainingFaultStep; action: TrainingFaultAction } | null;
  error: string | null;
}

/** The active reader (user-card slot) plus the training controls; the UI subscribes to its status. */
export interface ReaderHub {
  status(): ReaderStatus;
  subscribe(listener: (s: ReaderStatus) => void): () => void;
  /** The user-card reader now in use. */
  reader(): Reader;
  choose(choice: ReaderChoice, websocketUrl?: string): Promise<void>;
  // Training (simulated reader) controls.
  trainingVehicles(): readonly TrainingVehicle[];
  selectVehicle(id: string): void;
  insertCard(): void;
  removeCard(): void;
  armFault(fault: { step: TrainingFaultStep; action: TrainingFaultAction } | null): void;
  /** Training: the TEST ETC cards a driver of a CPC vehicle can hand over to pay with (payment only). */
  driverCards?(): readonly { id: string; label: string }[];
  /** Training: the driver hands over that card: the vehicle's card leaves the reader, the driver's goes on. */
  handOverDriverCard?(id: string): void;
  /** Training: the driver's card goes back to the driver, the vehicle's card (the CPC) onto the reader. */
  returnVehicleCard?(): void;
  /** Resolves when a card is present (after a tear, the collector puts it back). */
  waitForCard(signal?: AbortSignal): Promise<void>;
}
