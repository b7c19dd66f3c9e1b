/**
 * The engineer's full read (【读卡】 detail view, CLI): every file of the user card, raw and decoded. A file
 * that does not decode is reported with its CodecError instead of failing the whole read. The card must be
 * connected (Reader.connect) first.
 */
import type { Fen } from '@tollpad/domain';
import type { CardChannel } from '../apdu/channel';
import { getBalance, parseGetBalance } from '../apdu/commands/get-balance';
import { readBinarySfi } from '../apdu/commands/read-binary';
import { readRecord } from '../apdu/commands/read-record';
import { ETC_DF, MF, selectFile } from '../apdu/commands/select-file';
import { bytesToHex } from '../apdu/hex';
import { SW_OK } from '../apdu/status';
import { decodeBalance } from '../codec/balance';
import { decodeEf0015, type Ef0015 } from '../codec/ef0015';
import { decodeEf0016, type Ef0016 } from '../codec/ef0016';
import { decodeEf0018, type Ef0018Record } from '../codec/ef0018';
import { decodeEf0019, type Ef0019, type Ef0019Layout } from '../codec/ef0019';
import { CodecError } from '../codec/errors';

export interface FileRead<T> {
  readonly raw: string;
  readonly value: T | null;
  readonly error: CodecError | null;
}

export interface CardFiles {
  /** null when the card has no readable 0016 (status word in `ef0016Sw`). */
  readonly ef0016: FileRead<Ef0016> | null;
  readonly ef0016Sw: number;
  readonly ef0015: FileRead<Ef0015>;
  readonly ef0019: FileRead<Ef0019>;
  readonly balance: Fen | null;
  /** 0018, latest first. */
  readonly transactions: readonly FileRead<Ef0018Record>[];
}

function decodeSafely<T>(raw: Uint8Array, decode: (b: Uint8Array) => T): FileRead<T> {
  try {
    return { raw: bytesToHex(raw), value: decode(raw), error: null };
  } catch (e) {
    if (e instanceof CodecError) return { raw: bytesToHex(raw), value: null, error: e };
    throw e;
  }
}

export async function readCardFiles(
  channel: CardChannel,
  options: { layout0019: Ef0019Layout; max0018?: number },
): Promise<CardFiles> {
  await channel.send(selectFile(MF), 'SELECT 3F00');
  const r0016 = await channel.transmit(readBinarySfi(0x16, 0, 0x37));
  const ef0016 = r0016.sw === SW_OK ? decodeSafely(r0016.data, decodeEf0016) : null;
  await channel.send(selectFile(ETC_DF), 'SELECT 1001');
  const raw0015 = await channel.send(readBinarySfi(0x15, 0, 0x32), 'READ 0015');
  const ef0015 = decodeSafely(raw0015, decodeEf0015);
  const ef0019 = decodeSafely(await channel.send(readRecord(1, 0x19, 0x2b), 'READ 0019'), (b) =>
    decodeEf0019(b, options.layout0019),
  );
  const kind = ef0015.value?.cardKind ?? 'other';
  const balance = decodeBalance(parseGetBalance(await channel.send(getBalance(), 'GET BALANCE')), kind);
  const transactions: FileRead<Ef0018Record>[] = [];
  for (let n = 1; n <= (options.max0018 ?? 50); n++) {
    const r = await channel.transmit(readRecord(n, 0x18, 0x17));
    if (r.sw !== SW_OK) break; // 6A83: no more records
    transactions.push(decodeSafely(r.data, decodeEf0018));
  }
  return { ef0016, ef0016Sw: r0016.sw, ef0015, ef0019, balance, transactions };
}
