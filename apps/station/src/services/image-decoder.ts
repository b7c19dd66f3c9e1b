import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StationError } from '../errors';
import type { DecodeAnswer, DecodeJob, DecodeMime } from './image-decode.worker';

export interface DecoderLimits {
  /** [P] Pixels a photo may have (≈ 24 MP: above any handheld camera); checked from the header first. */
  maxPixels: number;
  /** [P] jpeg-js's allocation bound, MB. */
  maxMemoryMb: number;
  /** [P] The decoding thread's V8 heap, MB (the decoded pixels live outside it, bounded by maxPixels). */
  heapMb: number;
  /** [P] Photos waiting for the thread; more are refused (STN_ERR_IMAGE_BUSY) rather than queued. */
  maxQueued: number;
  /** [P] A photo still decoding after this long ends the thread and is refused. */
  timeoutMs: number;
}

export const DECODER_LIMITS: DecoderLimits = {
  maxPixels: 24_000_000,
  maxMemoryMb: 256,
  heapMb: 128,
  maxQueued: 8,
  timeoutMs: 20_000,
};

export interface Thumbnail {
  width: number;
  height: number;
  thumb: Buffer;
}

interface Pending {
  job: Omit<DecodeJob, 'id'>;
  resolve(t: Thumbnail): void;
  reject(e: StationError): void;
}

// The thread runs the TypeScript worker file through tsx's require hook, as the station itself runs.
const WORKER_FILE = fileURLToPath(new URL('./image-decode.worker.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx/cjs/api');
const BOOTSTRAP = `require(${JSON.stringify(TSX)}).register(); require(${JSON.stringify(WORKER_FILE)});`;

/**
 * Decodes photos one at a time on a worker thread with a bounded heap: the event loop never decodes, a
 * photo that exhausts the thread's memory or time ends only that thread (the next photo starts a new
 * one) and is refused as corrupt. Started on the first photo; an idle thread never holds the process.
 */
export class ImageDecoder {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private current: { id: number; pending: Pending; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly limits: DecoderLimits = DECODER_LIMITS,
    private readonly thumbMax = 240,
  ) {}

  get maxPixels(): number {
    return this.limits.maxPixels;
  }

  thumbnail(bytes: Uint8Array, mime: DecodeMime): Promise<Thumbnail> {
    if (this.closed) return Promise.reject(new StationError('STN_ERR_IMAGE_BUSY', 'decoder closed'));
    if (this.queue.length >= this.limits.maxQueued) {
      return Promise.reject(new StationError('STN_ERR_IMAGE_BUSY', `${this.queue.length} photos waiting`));
    }
    return new Promise((resolve, reject) => {
      const { maxPixels, maxMemoryMb } = this.limits;
      this.queue.push({
        job: { bytes, mime, maxPixels, maxMemoryMb, thumbMax: this.thumbMax },
        resolve,
        reject,
      });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new StationError('STN_ERR_IMAGE_BUSY', 'decoder closed'));
    this.fail('decoder closed', 'STN_ERR_IMAGE_BUSY');
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const pending = this.queue.shift();
    if (!pending) return;
    const id = this.nextId++;
    const timer = setTimeout(() => this.restart('decode took too long'), this.limits.timeoutMs);
    timer.unref();
    this.current = { id, pending, timer };
    const thread = this.thread();
    thread.ref(); // a photo in hand keeps the process alive until it is answered
    thread.postMessage({ id, ...pending.job } satisfies DecodeJob);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(BOOTSTRAP, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 16 },
    });
    w.unref();
    w.on('message', (a: DecodeAnswer) => this.answer(a));
    w.on('error', (e) => this.restart(e.message));
    w.on('exit', () => {
      if (this.worker === w) this.restart('decoder thread exited');
    });
    this.worker = w;
    return w;
  }

  private answer(a: DecodeAnswer): void {
    const c = this.current;
    if (!c || c.id !== a.id) return;
    clearTimeout(c.timer);
    this.current = undefined;
    if (this.queue.length === 0) this.worker?.unref();
    if (a.ok) {
      c.pending.resolve({ width: a.width, height: a.height, thumb: Buffer.from(a.thumb) });
    } else {
      c.pending.reject(new StationError('STN_ERR_IMAGE_CORRUPT', a.reason));
    }
    this.next();
  }

  /** The photo being decoded is refused and the thread replaced; the queue goes on with a new one. */
  private restart(reason: string): void {
    const w = this.worker;
    this.worker = undefined;
    this.fail(reason, 'STN_ERR_IMAGE_CORRUPT');
    void w?.terminate();
    this.next();
  }

  private fail(reason: string, code: 'STN_ERR_IMAGE_CORRUPT' | 'STN_ERR_IMAGE_BUSY'): void {
    const c = this.current;
    if (!c) return;
    clearTimeout(c.timer);
    this.current = undefined;
    c.pending.reject(new StationError(code, reason));
  }
}
