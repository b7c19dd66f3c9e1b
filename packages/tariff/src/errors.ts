/**
 * Typed errors of the tariff package. `line` is the 1-based line of the tariff file (0 when the error is
 * not tied to a line); `message` is Chinese so a collector or admin can read it as shown.
 */
export type TariffErrorCode =
  | 'TARIFF_JSON'
  | 'TARIFF_HEADER'
  | 'TARIFF_FIELD'
  | 'TARIFF_DUPLICATE'
  | 'TARIFF_DANGLING'
  | 'TARIFF_NEGATIVE_FEE'
  | 'TARIFF_ZERO_CYCLE'
  | 'TARIFF_EMPTY'
  | 'TARIFF_UNKNOWN_STATION'
  | 'TARIFF_UNKNOWN_CLASS'
  | 'TARIFF_UNKNOWN_GANTRY';

export class TariffError extends Error {
  constructor(
    readonly code: TariffErrorCode,
    readonly line: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(line > 0 ? `第${line}行 ${field}: ${reason}` : `${field}: ${reason}`);
    this.name = 'TariffError';
  }
}
