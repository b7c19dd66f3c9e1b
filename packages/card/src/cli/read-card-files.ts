/**
 * Reads every user-card file an engineer wants to see (0016, 0015, 0019, balance, 0018 records) over
 * any Reader and decodes them; a file that fails to decode keeps its raw hex and the decode error.
 */
import { CardChannel } from '../apdu/channel';
import { getBalance, parseGetBalance } from '../apdu/commands/get-balance';
import { readBinarySfi } from '../apdu/commands/read-binary';
import { readRecord } from '../apdu/commands/read-record';
import { ETC_DF, MF, selectFile } from '../apdu/commands/select-file';
import { bytesToHex } from '../apdu/hex';
import { decodeEf0015 } from '../codec/ef0015';
import { decodeEf0016 } from '../codec/ef0016';
import { decodeEf0018 } from '../codec/ef0018';
import { decodeEf0019, type Ef0019Layout } from '../codec/ef0019';
import type { Reader } from '../reader/reader';

export interface DecodedFile {
  file: string;
  raw: string;
  decoded?: unknown;
  error?: { code: string; message: string; messageZh?: string };
}

export interface CardFilesReport {
  reader: string;
  atr: string;
  files: DecodedFile[];
}

function describeError(error: unknown): NonNullable<DecodedFile['error']> {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; messageZh?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : error.name,
      message: error.message,
      ...(typeof e.messageZh === 'string' ? { messageZh: e.messageZh } : {}),
    };
  }
  return { code: 'UNKNOWN', message: String(error) };
}

function decodeInto(file: string, raw: Uint8Array, decode: (b: Uint8Array) => unknown): DecodedFile {
  try {
    return { file, raw: bytesToHex(raw), decoded: decode(raw) };
  } catch (error) {
    return { file, raw: bytesToHex(raw), error: describeError(error) };
  }
}

export async function readCardFiles(
  reader: Reader,
  options: { layout0019?: Ef0019Layout; maxRecords?: number } = {},
): Promise<CardFilesReport> {
  const atr = await reader.connect();
  const channel = new CardChannel(reader);
  const files: DecodedFile[] = [];
  await channel.send(selectFile(MF), 'SELECT MF');
  files.push(decodeInto('0016', await channel.send(readBinarySfi(0x16, 0, 0x37), 'READ 0016'), decodeEf0016));
  await channel.send(selectFile(ETC_DF), 'SELECT 1001');
  files.push(decodeInto('0015', await channel.send(readBinarySfi(0x15, 0, 0x32), 'READ 0015'), decodeEf0015));
  const layout = options.layout0019 ?? '2019';
  files.push(
    decodeInto('0019', await channel.send(readRecord(1, 0x19, 0x2b), 'READ 0019'), (b) =>
      decodeEf0019(b, layout),
    ),
  );
  files.push(
    decodeInto('0002', await channel.send(getBalance(), 'GET BALANCE'), (b) => ({
      balanceFen: parseGetBalance(b),
    })),
  );
  for (let n = 1; n <= (options.maxRecords ?? 10); n++) {
    const r = await channel.transmit(readRecord(n, 0x18, 0x17));
    if (r.sw !== 0x9000) break; // 6A83: no more records
    files.push(decodeInto(`0018#${n}`, r.data, decodeEf0018));
  }
  return { reader: reader.name, atr: bytesToHex(atr), files };
}
