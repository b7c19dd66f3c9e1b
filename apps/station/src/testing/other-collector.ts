import { type Harness, TEST_PASSWORD } from './harness';

/** A second TEST handheld: its own terminal and PSAM terminal number (TEST data). */
export const OTHER_TERMINAL = { id: 'HH-TEST-02', psam: '015100011A00' } as const;

/**
 * Collector B (TEST account) logged in on the second TEST handheld with a shift of their own: a colleague
 * on the same station's network trying to act on collector A's transactions.
 */
export async function otherCollector(h: Harness): Promise<{ token: string; accountId: string }> {
  const s = h.station.services;
  const acc = await s.auth.createAccount(
    {
      username: 'test-collector-b',
      displayName: '测试收费员B',
      role: 'collector',
      password: TEST_PASSWORD,
      demo: true,
    },
    'test-setup',
  );
  await s.config.putTerminal(
    { id: OTHER_TERMINAL.id, psamTerminalNo: OTHER_TERMINAL.psam, description: 'TEST 2', enabled: true },
    'test-setup',
  );
  const { token } = await s.auth.login('test-collector-b', TEST_PASSWORD, OTHER_TERMINAL.id);
  const shift = await h.call('POST', '/shifts', { token });
  if (shift.statusCode !== 201) throw new Error(`open shift B: ${shift.body}`);
  return { token, accountId: acc.id };
}
