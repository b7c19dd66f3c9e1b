/**
 * [P] What a new or reset password must be: at least 8 characters from at least two of letters, digits and
 * other characters, not the username, not one character repeated, not on the short list of passwords a
 * guesser tries first. A station-level rule (no public standard fixes it); the refusal names no rule it
 * broke beyond the code's own message, so the message is the whole policy.
 */
const MIN_LENGTH = 8;

/** Lower-cased; the first guesses of anyone trying accounts at a toll station. */
const COMMON = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '87654321',
  '11111111',
  '88888888',
  '66666666',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'abc12345',
  'abcd1234',
  'a1234567',
  'qwerty123',
  'qwertyui',
  '1qaz2wsx',
  'admin123',
  'admin1234',
  'iloveyou',
  'woaini1314',
  'shoufei123',
  'tollpad1',
]);

export function isWeakPassword(password: string, username: string): boolean {
  if ([...password].length < MIN_LENGTH) return true;
  const lower = password.toLowerCase();
  if (lower === username.toLowerCase() || COMMON.has(lower)) return true;
  if (new Set(password).size === 1) return true;
  const classes = [/[A-Za-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return classes < 2;
}
