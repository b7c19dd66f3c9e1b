/**
 * Reads what a handheld with a 5.8 GHz module sees of an OBU: VST (system info + status bits), the
 * vehicle information (decrypted by the PSAM) and the EF04 exit region, each decoded or with its error.
 */
import { bytesToHex } from '../apdu/hex';
import type { ObuLink } from '../dsrc/obu-link';
import type { VehicleInfoLayout } from '../obu/vehicle-info';
import type { Reader } from '../reader/reader';
import type { DecodedFile } from './read-card-files';

function describe(error: unknown): NonNullable<DecodedFile['error']> {
  const e = error as { code?: unknown; message?: unknown; messageZh?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : 'ERROR',
    message: typeof e.message === 'string' ? e.message : String(error),
    ...(typeof e.messageZh === 'string' ? { messageZh: e.messageZh } : {}),
  };
}

export async function readObuFiles(
  link: ObuLink,
  psam: Reader,
  layout: VehicleInfoLayout = 'legacy59',
): Promise<DecodedFile[]> {
  const files: DecodedFile[] = [];
  const vst = await link.beacon();
  files.push({
    file: 'OBU-VST',
    raw: bytesToHex(vst.systemInfoBytes),
    decoded: {
      obuMac: vst.obuMac,
      isCpc: vst.isCpc,
      equipment: vst.equipment,
      status: vst.status,
      systemInfo: vst.systemInfo,
    },
  });
  try {
    files.push({ file: 'OBU-VEHICLE', raw: '', decoded: await link.readVehicleInfo(psam, layout) });
  } catch (error) {
    files.push({ file: 'OBU-VEHICLE', raw: '', error: describe(error) });
  }
  try {
    files.push({ file: 'OBU-EF04[314..484]', raw: '', decoded: await link.readEf04ExitRegion() });
  } catch (error) {
    files.push({ file: 'OBU-EF04[314..484]', raw: '', error: describe(error) });
  }
  return files;
}
