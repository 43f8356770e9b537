import { describe, expect, it } from 'vitest';
import {
  ROLES,
  ROLE_LABELS,
  ROLE_JURISDICTION_LEVELS,
  canManageUsers,
  canReadAudit,
} from './roles.js';

describe('roles', () => {
  it('gives every role a Chinese label and at least one jurisdiction level', () => {
    for (const role of ROLES) {
      expect(ROLE_LABELS[role]).toMatch(/[\u4e00-\u9fa5]/);
      expect(ROLE_JURISDICTION_LEVELS[role].length).toBeGreaterThan(0);
    }
  });

  it('lets only county, city, auditor and admin read the audit log', () => {
    expect(ROLES.filter(canReadAudit)).toEqual(['county', 'city', 'auditor', 'admin']);
    expect(ROLES.filter(canManageUsers)).toEqual(['admin']);
  });
});
