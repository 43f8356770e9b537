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

/** Applies `f` to every personal number nested in a record (not the elder's own ID and phone). */
export function mapNested(data: Json, f: Transform): Json {
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
  if ('householdMembers' in out)
    out['householdMembers'] = list(out['householdMembers'], [['idNumber', 'id']]);
  if ('supporters' in out) {
    out['supporters'] = list(out['supporters'], [
      ['idNumber', 'id'],
      ['phone', 'phone'],
    ]);
  }
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

/**
 * Puts stored numbers back where a client sent their masks unchanged (it never had the full
 * ones): `known` maps each stored plain number's mask to the number.
 */
export function restoreMasked(body: Json, known: Map<string, string>): Json {
  const restore = (v: string) => known.get(v) ?? v;
  const out = mapNested(body, restore);
  if (typeof out['phone'] === 'string') out['phone'] = restore(out['phone']);
  return out;
}

/** The masks of every number in an opened record, mapped to the numbers. */
export function masksOf(
  opened: Json,
  own: { idNumber: string; phone: string | null },
): Map<string, string> {
  const known = new Map<string, string>();
  known.set(maskIdNumber(own.idNumber), own.idNumber);
  if (own.phone) known.set(maskPhone(own.phone), own.phone);
  mapNested(opened, (v, kind) => {
    known.set(kind === 'id' ? maskIdNumber(v) : maskPhone(v), v);
    return v;
  });
  return known;
}
