/** Below this age a guardian acts for the beneficiary. */
export const GUARDIAN_AGE = 14;

/** The version of the consent text a guardian accepts when claiming for a minor. */
export const GUARDIAN_CONSENT_VERSION = 'guardian-consent-v1';

/** Today's date (UTC) as `YYYY-MM-DD`. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Full years between a birth date and a day, both `YYYY-MM-DD`. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

export function needsGuardian(birthDate: string, today: string): boolean {
  return ageOn(birthDate, today) < GUARDIAN_AGE;
}
