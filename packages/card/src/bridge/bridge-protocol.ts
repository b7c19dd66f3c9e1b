/**
 * Reader-bridge wire protocol, version 1 (see PROTOCOL.md). JSON text frames; APDUs and ATRs as
 * upper-case hex. Shared by the Node server and the isomorphic websocket client.
 */
export const BRIDGE_PROTOCOL_VERSION = 1;

export const BRIDGE_ERROR_CODES = [
  'CARD_ABSENT',
  'CARD_IO',
  'READER_UNAVAILABLE',
  'READER_TIMEOUT',
  'BAD_COMMAND',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'UNKNOWN_SLOT',
  'SLOT_BUSY',
  'INTERNAL',
] as const;

export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];

function isErrorCode(value: unknown): value is BridgeErrorCode {
  return typeof value === 'string' && (BRIDGE_ERROR_CODES as readonly string[]).includes(value);
}

export interface SlotInfo {
  slot: string;
  name: string;
  present: boolean;
}

export type ClientMessage =
  | { type: 'hello'; id: number; version: number; token?: string }
  | { type: 'list'; id: number }
  | { type: 'connect'; id: number; slot: string }
  | { type: 'transmit'; id: number; slot: string; apdu: string }
  | { type: 'disconnect'; id: number; slot: string };

export type ServerMessage =
  | { type: 'hello'; id: number; version: number; slots: SlotInfo[] }
  | { type: 'slots'; id: number; slots: SlotInfo[] }
  | { type: 'connected'; id: number; slot: string; atr: string }
  | { type: 'response'; id: number; slot: string; rapdu: string }
  | { type: 'disconnected'; id: number; slot: string }
  | { type: 'event'; slot: string; event: 'present' | 'absent' }
  | { type: 'error'; id?: number; slot?: string; code: BridgeErrorCode; message: string };

const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

export function isHex(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Parses one client frame; returns undefined when it is not a valid protocol message. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isId(value.id)) return undefined;
  const id = value.id;
  switch (value.type) {
    case 'hello':
      if (typeof value.version !== 'number') return undefined;
      if (value.token !== undefined && typeof value.token !== 'string') return undefined;
      return typeof value.token === 'string'
        ? { type: 'hello', id, version: value.version, token: value.token }
        : { type: 'hello', id, version: value.version };
    case 'list':
      return { type: 'list', id };
    case 'connect':
    case 'disconnect':
      return typeof value.slot === 'string' ? { type: value.type, id, slot: value.slot } : undefined;
    case 'transmit':
      return typeof value.slot === 'string' && isHex(value.apdu)
        ? { type: 'transmit', id, slot: value.slot, apdu: value.apdu }
        : undefined;
    default:
      return undefined;
  }
}

function isSlotInfo(value: unknown): value is SlotInfo {
  return (
    isObject(value) &&
    typeof value.slot === 'string' &&
    typeof value.name === 'string' &&
    typeof value.present === 'boolean'
  );
}

/** Parses one server frame; returns undefined when it is not a valid protocol message. */
export function parseServerMessage(text: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { id, slot } = value;
  switch (value.type) {
    case 'hello':
    case 'slots': {
      const slots = value.slots;
      if (!isId(id) || !Array.isArray(slots) || !slots.every(isSlotInfo)) return undefined;
      if (value.type === 'slots') return { type: 'slots', id, slots };
      return typeof value.version === 'number'
        ? { type: 'hello', id, version: value.version, slots }
        : undefined;
    }
    case 'connected':
      return isId(id) && typeof slot === 'string' && isHex(value.atr)
        ? { type: 'connected', id, slot, atr: value.atr }
        : undefined;
    case 'response':
      return isId(id) && typeof slot === 'string' && isHex(value.rapdu)
        ? { type: 'response', id, slot, rapdu: value.rapdu }
        : undefined;
    case 'disconnected':
      return isId(id) && typeof slot === 'string' ? { type: 'disconnected', id, slot } : undefined;
    case 'event':
      return typeof slot === 'string' && (value.event === 'present' || value.event === 'absent')
        ? { type: 'event', slot, event: value.event }
        : undefined;
    case 'error': {
      if (typeof value.message !== 'string') return undefined;
      // An unknown code from a newer server still surfaces as an error, never as silence.
      const code = isErrorCode(value.code) ? value.code : 'INTERNAL';
      const message: ServerMessage = { type: 'error', code, message: value.message };
      if (isId(id)) message.id = id;
      if (typeof slot === 'string') message.slot = slot;
      return message;
    }
    default:
      return undefined;
  }
}
