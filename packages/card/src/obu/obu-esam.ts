/**
 * The OBU's ESAM as seen over DSRC channel 2 (TEST model): MF with EF01 system information (SFI 1),
 * DF01 with EF04 (SFI 4). Reads and updates by offset, as the lane and S1 do: select DF01,
 * 00B0 84 00 Le once (makes EF04 current), then 00B0/00D6 with a 15-bit offset in P1 P2 [S1].
 * [P] Updates are accepted in plain (no MAC), as S1's test code sends them.
 */
import { concatBytes } from '../apdu/hex';
import { EF04_FILE_SIZE } from './ef04-exit-region';

const sw = (value: number, data: Uint8Array = new Uint8Array(0)) =>
  concatBytes(data, Uint8Array.of(value >> 8, value & 0xff));

export class ObuEsam {
  private df: 'mf' | 'df01' = 'mf';
  private current: 'ef01' | 'ef04' | undefined;
  readonly ef04: Uint8Array;

  constructor(
    private readonly systemInfo: () => Uint8Array,
    ef04?: Uint8Array,
  ) {
    this.ef04 = new Uint8Array(EF04_FILE_SIZE);
    if (ef04) this.ef04.set(ef04.subarray(0, EF04_FILE_SIZE));
  }

  reset(): void {
    this.df = 'mf';
    this.current = undefined;
  }

  transmit(c: Uint8Array): Uint8Array {
    if (c.length < 4) return sw(0x6700);
    const [cla, ins, p1, p2] = [c[0]!, c[1]!, c[2]!, c[3]!];
    if (cla !== 0x00) return sw(0x6e00);
    if (ins === 0xa4) return this.select(c);
    if (ins === 0xb0) return this.read(p1, p2, c.length > 4 ? c[4]! : 0);
    if (ins === 0xd6) return this.update(p1, p2, c);
    return sw(0x6d00);
  }

  private select(c: Uint8Array): Uint8Array {
    if (c.length < 7 || c[4] !== 0x02) return sw(0x6700);
    const fid = (c[5]! << 8) | c[6]!;
    if (fid === 0x3f00) {
      this.df = 'mf';
      this.current = undefined;
    } else if (fid === 0xdf01) {
      this.df = 'df01';
      this.current = undefined;
    } else if (fid === 0xef04 && this.df === 'df01') this.current = 'ef04';
    else if (fid === 0xef01 && this.df === 'mf') this.current = 'ef01';
    else return sw(0x6a82);
    return sw(0x9000);
  }

  private file(name: 'ef01' | 'ef04'): Uint8Array {
    return name === 'ef01' ? this.systemInfo() : this.ef04;
  }

  /** Resolves P1 P2 to (file, offset): SFI form when P1 bit 7 is set, else the current file. */
  private locate(p1: number, p2: number): { file: 'ef01' | 'ef04'; offset: number } | number {
    if (p1 & 0x80) {
      const sfi = p1 & 0x1f;
      const file =
        sfi === 1 && this.df === 'mf' ? 'ef01' : sfi === 4 && this.df === 'df01' ? 'ef04' : undefined;
      if (!file) return 0x6a82;
      this.current = file;
      return { file, offset: p2 };
    }
    if (!this.current) return 0x6986;
    return { file: this.current, offset: ((p1 & 0x7f) << 8) | p2 };
  }

  private read(p1: number, p2: number, le: number): Uint8Array {
    const at = this.locate(p1, p2);
    if (typeof at === 'number') return sw(at);
    const data = this.file(at.file);
    const length = le === 0 ? 256 : le;
    if (at.offset + length > data.length) return sw(0x6b00);
    return sw(0x9000, data.slice(at.offset, at.offset + length));
  }

  private update(p1: number, p2: number, c: Uint8Array): Uint8Array {
    const lc = c[4] ?? 0;
    const payload = c.subarray(5, 5 + lc);
    if (lc === 0 || payload.length !== lc) return sw(0x6700);
    const at = this.locate(p1, p2);
    if (typeof at === 'number') return sw(at);
    if (at.file !== 'ef04') return sw(0x6982); // system info is written only at issuance, with a MAC
    if (at.offset + lc > this.ef04.length) return sw(0x6b00);
    this.ef04.set(payload, at.offset);
    return sw(0x9000);
  }
}
