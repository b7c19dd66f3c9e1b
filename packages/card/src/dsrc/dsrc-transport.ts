/**
 * What carries DSRC frames: a handheld's 5.8 GHz module (a later, hardware-specific transport) or, here,
 * an in-process loopback to a VirtualObu with link-loss injection.
 */

import type { VirtualObu } from '../obu/virtual-obu';
import { ReaderError } from '../reader/errors';

export interface DsrcTransport {
  /** Sends one request frame, resolves with the OBU's response frame; rejects with DsrcLinkError. */
  exchange(frame: Uint8Array): Promise<Uint8Array>;
}

/** The radio link broke (OBU out of range, module fault): the frame may or may not have reached the OBU. */
export class DsrcLinkError extends ReaderError {
  constructor(message = 'DSRC link lost') {
    super('CARD_IO', message, '与车载单元通信中断，请靠近车辆重试');
    this.name = 'DsrcLinkError';
  }
}

export type DsrcTearPoint = 'before' | 'after';

export class LoopbackDsrcTransport implements DsrcTransport {
  /** False = the OBU is out of range: every exchange fails. */
  inRange = true;
  private tear: { match: (frame: Uint8Array) => boolean; at: DsrcTearPoint } | undefined;

  constructor(public obu: VirtualObu) {}

  /**
   * One-shot link loss on the next matching frame: `before` the OBU receives it, or `after` the OBU
   * processed it (the response is lost). The link stays down (inRange = false) until restored.
   */
  tearOn(match: (frame: Uint8Array) => boolean, at: DsrcTearPoint = 'after'): void {
    this.tear = { match, at };
  }

  async exchange(frame: Uint8Array): Promise<Uint8Array> {
    if (!this.inRange) throw new DsrcLinkError('OBU out of range');
    const tear = this.tear?.match(frame) ? this.tear : undefined;
    if (tear) {
      this.tear = undefined;
      if (tear.at === 'after') this.obu.handleFrame(frame);
      this.inRange = false;
      throw new DsrcLinkError('DSRC link lost during the exchange');
    }
    return this.obu.handleFrame(frame);
  }
}
