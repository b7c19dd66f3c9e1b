/**
 * Encryption of the OBU vehicle-information file as returned by DSRC GetSecure, and its decryption.
 * [P] Simulator model (reference §2.3/§4): 3DES-ECB with the diversified vehicle key over
 * (8-B prefix ‖ 1-B length ‖ data ‖ 80 00… to a multiple of 8). [P] The prefix is the RSU's RandRSU,
 * echoed so the reader can check freshness. In the field the PSAM decrypts (80 1A 59 03 10, 80 FA 80 00).
 */

import { concatBytes, hexToBytes } from '../apdu/hex';
import { TripleDes } from '../crypto/des';
import { ecbDecrypt, ecbEncrypt, padIso9797M2 } from '../crypto/modes';
import { diversifyTwoLevel } from '../crypto/pboc';
import { CardError } from '../errors';

/** TEST ONLY master key for OBU vehicle information (PSAM key usage 59, index 03). Protects nothing. */
export const TEST_OBU_VEHICLE_MASTER_KEY = hexToBytes('7E570B0159037E570B0159037E570B01');

export class VehicleInfoCryptoError extends CardError {
  constructor(reason: string) {
    super('OBU_VEHICLE_DECRYPT', { params: { reason } });
    this.name = 'VehicleInfoCryptoError';
  }
}

/** The 16-byte factor the PSAM gets in 80 1A 59 03 10: contract serial (8) ‖ provider[0..3]×2 [S1]. */
export function vehicleKeyFactor(contractSerial8: Uint8Array, provider8: Uint8Array): Uint8Array {
  const head = provider8.subarray(0, 4);
  return concatBytes(contractSerial8, head, head);
}

/**
 * The OBU's vehicle key from the master key and the 16-byte factor. [I] Two-level 3DES diversification
 * in the same order as the purse keys: level 1 with provider×2 (factor bytes 8–15), level 2 with the
 * contract serial (bytes 0–7).
 */
export function obuVehicleKey(masterKey: Uint8Array, factor16: Uint8Array): Uint8Array {
  return diversifyTwoLevel('3des', masterKey, factor16.subarray(8, 16), factor16.subarray(0, 8));
}

export function encryptVehicleInfo(key: Uint8Array, prefix8: Uint8Array, data: Uint8Array): Uint8Array {
  if (prefix8.length !== 8) throw new VehicleInfoCryptoError('prefix must be 8 bytes');
  if (data.length > 0xff) throw new VehicleInfoCryptoError('data longer than 255 bytes');
  const plain = padIso9797M2(concatBytes(prefix8, Uint8Array.of(data.length), data), 8);
  return ecbEncrypt(new TripleDes(key), plain);
}

/** Splits a decrypted GetSecure plaintext into prefix and data; checks the length byte and padding. */
export function parseVehiclePlaintext(plain: Uint8Array): { prefix: Uint8Array; data: Uint8Array } {
  if (plain.length < 16 || plain.length % 8 !== 0)
    throw new VehicleInfoCryptoError(`bad length ${plain.length}`);
  const len = plain[8]!;
  if (9 + len >= plain.length + 1 || plain[9 + len] !== 0x80) {
    throw new VehicleInfoCryptoError('length byte or padding does not match (wrong key?)');
  }
  return { prefix: plain.subarray(0, 8), data: plain.subarray(9, 9 + len) };
}

export function decryptVehicleInfo(
  key: Uint8Array,
  cipher: Uint8Array,
): { prefix: Uint8Array; data: Uint8Array } {
  if (cipher.length === 0 || cipher.length % 8 !== 0)
    throw new VehicleInfoCryptoError('ciphertext not whole blocks');
  return parseVehiclePlaintext(ecbDecrypt(new TripleDes(key), cipher));
}
