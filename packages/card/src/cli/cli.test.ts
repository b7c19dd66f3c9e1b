import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../apdu/hex';
import { LoopbackDsrcTransport } from '../dsrc/dsrc-transport';
import { ObuLink } from '../dsrc/obu-link';
import { issueObu } from '../obu/issue-obu';
import { PsamWithVehicleKey } from '../obu/psam-vehicle-key-extension';
import { PsamDriver } from '../psam/psam-driver';
import { TEST_TERMINAL_ID } from '../purchase/test-rig';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { SimulatedReader } from '../transport/simulated-reader';
import { readCardFiles } from './read-card-files';
import { readObuFiles } from './read-obu-files';
import { runTearingSweep } from './tearing-sweep';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('tollpad-card', () => {
  it('reads and decodes every file of a TEST card', async () => {
    const issued = issueTestCard({ cardType: 'account', algorithm: 'sm4', balance: -300 });
    const report = await readCardFiles(new SimulatedReader(issued.card));
    expect(report.files.map((f) => f.file)).toEqual(['0016', '0015', '0019', '0002']);
    expect(report.files.find((f) => f.file === '0015')?.decoded).toMatchObject({
      plate: '苏A12345',
      cardKind: 'account',
    });
    expect(report.files.every((f) => f.error === undefined)).toBe(true);
  });

  it('keeps raw bytes and names the error when a file does not decode', async () => {
    const issued = issueTestCard({ balance: 1 });
    const report = await readCardFiles(new SimulatedReader(issued.card), { layout0019: 'legacy' });
    const ef0019 = report.files.find((f) => f.file === '0019');
    // A blank 2019-layout record read as legacy: 标识站 is not what the legacy codec accepts.
    expect(ef0019?.raw).toHaveLength(86);
    expect(ef0019?.error?.code).toBe('CODEC_INVALID');
    expect(ef0019?.error?.messageZh).toMatch(/0019/);
    expect(report.files.find((f) => f.file === '0002')?.decoded).toEqual({ balanceFen: 1 });
  });

  it('reads OBU system info, vehicle info and EF04 over the DSRC model', async () => {
    const issued = issueTestCard({ balance: 9 });
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, issued.card, { tampered: true });
    const psam = new SimulatedReader(
      new PsamWithVehicleKey(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) })),
    );
    await new PsamDriver(psam).open();
    const files = await readObuFiles(new ObuLink(new LoopbackDsrcTransport(obu)), psam);
    expect(files.map((f) => f.file)).toEqual(['OBU-VST', 'OBU-VEHICLE', 'OBU-EF04[314..484]']);
    expect(files[0]?.decoded).toMatchObject({ status: { obuTampered: true, cardAbsent: false } });
    expect(files[1]?.decoded).toMatchObject({ plate: '苏A12345' });
    expect(files[2]?.error).toBeUndefined();
  });

  it('the tearing sweep finds no double debit', async () => {
    const rows = await runTearingSweep();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.violations).toEqual([]);
      expect(row.cases).toBe(row.apdus * 2);
    }
  });

  it('prints code and Chinese message and exits non-zero on errors', async () => {
    const bad = await runCli(['purchase', '--amount', '12.5']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('[BAD_ARGUMENT] 金额必须为整数（分）');
    const json = await runCli(['purchase', '--amount', '500', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ amount: 500, balanceAfter: 49_500 });
  });
});
