import { describe, expect, it } from 'vitest';

import { cleanName, displayName, nameSchema } from './names';

describe('names', () => {
  const schema = nameSchema(10);

  it('normalises to NFC: "e" + combining acute is one "é"', () => {
    expect(cleanName('Rene\u0301e')).toBe('Renée');
    expect(cleanName('Rene\u0301e')).toHaveLength(5);
  });

  it('strips invisible characters and collapses spaces', () => {
    expect(cleanName('A\u200Bda\u00AD \u2060 L\uFEFFovelace\u3164')).toBe('Ada Lovelace');
  });

  it('refuses direction controls with a message, and control characters', () => {
    for (const spoof of ['Eve\u202Egnp.exe', '\u2067Ada\u2069', 'Ada\u200F', 'x\u061Cy']) {
      const result = schema.safeParse(spoof);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/text-direction/);
    }
    expect(schema.safeParse('a\u0007b').success).toBe(false);
    expect(schema.safeParse('a\u0085b').success).toBe(false);
  });

  it('counts the length after cleaning, and refuses names that clean to nothing', () => {
    expect(schema.parse('\u200B0123456789\u200B')).toBe('0123456789');
    expect(schema.safeParse('01234567890').success).toBe(false);
    expect(schema.safeParse('\u200B\u200D ').success).toBe(false);
  });

  it('shows stored names without direction controls', () => {
    expect(displayName('Eve\u202Egnp.exe')).toBe('Evegnp.exe');
  });
});
