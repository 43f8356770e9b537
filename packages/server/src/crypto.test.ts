import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Vault, isSealed } from './crypto.js';

describe('Vault', () => {
  const vault = new Vault(randomBytes(32));

  it('encrypts so that the number cannot be read, and decrypts it back', () => {
    const sealed = vault.encrypt('21062419500315001X');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('210624');
    expect(vault.encrypt('21062419500315001X')).not.toBe(sealed);
    expect(vault.decrypt(sealed)).toBe('21062419500315001X');
  });

  it('refuses a value altered at rest or sealed with another key', () => {
    const sealed = vault.encrypt('13800138000');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => vault.decrypt('v1:' + raw.toString('base64'))).toThrow();
    expect(() => new Vault(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('hashes an ID number the same way whatever its case, and differently per key', () => {
    expect(vault.hashIdNumber('11010519491231002x')).toBe(vault.hashIdNumber('11010519491231002X'));
    expect(new Vault(randomBytes(32)).hashIdNumber('11010519491231002X')).not.toBe(
      vault.hashIdNumber('11010519491231002X'),
    );
  });
});
