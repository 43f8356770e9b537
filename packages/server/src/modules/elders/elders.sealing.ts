/**
 * Which parts of an elder record are personal numbers, and how they are sealed at rest, masked
 * for display and opened for an entitled reader. The elder's own ID number and phone live in
 * columns; the others (household members', supporters', caregiver's, emergency contact's) are
 * sealed in place inside `data`.
 */
import { maskIdNumber, maskPhone, type ElderData } from '@tanfang/domain';
import { isSealed, type Vault } from '../../crypto.js';

type Json = Record<string, unknown>;
type Transform = (value: string, kind: 'id' | 'phone') => string;

function mapNested(data: Json, f: Transform): Json {
  const out: Json = { ...data };
  const obj = (v: unknown, keys: [string, 'id' | 'phone'][]) => {
    if (!v || typeof v !== 'object') return v;
    const copy: Json = { ...(v as Json) };
    for (const [k, kind] of keys)
      if (typeof copy[k] === 'string') copy[k] = f(copy[k] as string, kind);
    return copy;
  };
  const list = (v: unknown, keys: [string, 'id' | 'phone'][]) =>
    Array.isArray(v) ? v.map((x) => obj(x, keys)) : v;
  if (out['emergencyContact'])
    out['emergencyContact'] = obj(out['emergencyContact'], [['phone', 'phone']]);
  out['householdMembers'] = list(out['householdMembers'], [['idNumber', 'id']]);
  out['supporters'] = list(out['supporters'], [
    ['idNumber', 'id'],
    ['phone', 'phone'],
  ]);
  if (out['caregiver'])
    out['caregiver'] = obj(out['caregiver'], [
      ['idNumber', 'id'],
      ['phone', 'phone'],
    ]);
  return out;
}

/** The record as stored: without the elder's own numbers, the others sealed. */
export function sealData(data: ElderData, vault: Vault): Json {
  const { idNumber: _id, phone: _phone, ...rest } = data;
  return mapNested(rest as Json, (v) => vault.encrypt(v));
}

/** The stored record opened: every number in clear (for editing and for entitled readers). */
export function openData(stored: Json, vault: Vault): Json {
  return mapNested(stored, (v) => (isSealed(v) ? vault.decrypt(v) : v));
}

/** The stored record for display: every number masked. */
export function maskData(stored: Json, vault: Vault): Json {
  return mapNested(stored, (v, kind) => {
    const plain = isSealed(v) ? vault.decrypt(v) : v;
    return kind === 'id' ? maskIdNumber(plain) : maskPhone(plain);
  });
}
