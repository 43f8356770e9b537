/**
 * Encryption of personal numbers at rest (个人信息保护法: ID numbers are sensitive): AES-256-GCM
 * with a random 96-bit nonce per value, and a keyed hash (HMAC-SHA-256) for exact look-up of ID
 * numbers without decrypting. Both keys are derived (HKDF) from one 256-bit master key.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = 'v1:';

/** The keys of one installation. */
export class Vault {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('加密主密钥应为 32 字节');
    this.encKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tanfang/aes-256-gcm', 32),
    );
    this.macKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tanfang/hmac-sha256', 32),
    );
  }

  /** Encrypts a value: 'v1:' + base64(nonce | tag | ciphertext). */
  encrypt(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Decrypts a value made by `encrypt`; throws if it was altered or made with another key. */
  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('不是加密值');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** The keyed hash of an ID number, for uniqueness and look-up. */
  hashIdNumber(idNumber: string): string {
    return createHmac('sha256', this.macKey).update(idNumber.trim().toUpperCase()).digest('hex');
  }
}

/** Whether a value is one `Vault.encrypt` made. */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/**
 * The master key: from config when given; else, in embedded mode, the key file in the data
 * directory, made on first use (with a warning: back it up with the data, or the numbers are lost).
 */
export function loadMasterKey(
  configured: string | undefined,
  dataDir: string | undefined,
  warn: (line: string) => void,
): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  if (!dataDir) throw new Error('未配置 TANFANG_ENCRYPTION_KEY');
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  warn(
    `警告：已生成加密主密钥 ${file}。身份证号和电话以此密钥加密保存；请与数据目录一同备份，丢失后无法解密。` +
      '生产环境请用 TANFANG_ENCRYPTION_KEY 配置密钥。',
  );
  return key;
}
