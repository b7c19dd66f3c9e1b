import { hexToBytes, PsamDriver } from '@tollpad/card';
import { VirtualPsam, VirtualReader } from '@tollpad/card/sim';

/** TEST PSAM terminal number of the training/demo handheld (6 bytes hex); the station registers it. */
export const TEST_PSAM_TERMINAL_NO = '0151000119F8';

/**
 * The PSAM slot. [P] Training and the demo use a virtual PSAM with TEST keys; a real terminal would
 * open its own PSAM slot (bridge slot 'psam') instead.
 */
export function virtualPsam(terminalNo = TEST_PSAM_TERMINAL_NO): () => Promise<PsamDriver> {
  let opened: Promise<PsamDriver> | null = null;
  return () => {
    opened ??= (async () => {
      const slot = new VirtualReader('psam');
      slot.insert(new VirtualPsam({ terminalId: hexToBytes(terminalNo) }));
      const driver = new PsamDriver(slot);
      await driver.open();
      return driver;
    })();
    opened.catch(() => {
      opened = null;
    });
    return opened;
  };
}
