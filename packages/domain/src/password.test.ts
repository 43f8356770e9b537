import { describe, expect, it } from 'vitest';
import { PASSWORD_RULE, checkPassword } from './password.js';

describe('password rule', () => {
  it('states the rule when a password is too weak', () => {
    for (const weak of ['short1', 'onlyletterslong', '12345678901', 'a1'.repeat(65)]) {
      const result = checkPassword(weak);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(PASSWORD_RULE);
    }
  });

  it('accepts letters and digits of ten characters or more', () => {
    expect(checkPassword('tanfang-demo-2026').ok).toBe(true);
  });
});
