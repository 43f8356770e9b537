import { REFERRAL_CREATORS, REFERRAL_READERS, type Role } from '@tanfang/domain';

/** Whether a role opens 需求转介 (staff: their jurisdiction's; a provider: its own). */
export function canOpenReferrals(role: Role): boolean {
  return role === 'provider' || REFERRAL_READERS.includes(role);
}

/** Whether a role refers needs to providers (and cancels referrals, handles 权益提示). */
export function canRefer(role: Role): boolean {
  return REFERRAL_CREATORS.includes(role);
}

/** Whether a role reads the care services and referrals of its jurisdiction. */
export function canReadCareServices(role: Role): boolean {
  return REFERRAL_READERS.includes(role);
}

/** Whether a role records care services from the elder's page. */
export function canRecordCareServices(role: Role): boolean {
  return REFERRAL_CREATORS.includes(role);
}
