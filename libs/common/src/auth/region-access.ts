import type { Actor } from '../context/request-context';
import { CommonErrors } from '../errors/common.errors';

/**
 * Region scoping for staff: admins see every region; everyone else only the regions in
 * their token. Services call this on every read and write of region-owned records.
 * A record of another region answers 404 (it does not exist for this caller).
 */
export function canAccessRegion(actor: Actor, region: number): boolean {
  if (actor.type !== 'staff') return false;
  if (actor.roles?.includes('admin')) return true;
  return actor.regions?.includes(region) ?? false;
}

export function assertRegionAccess(actor: Actor, region: number): void {
  if (!canAccessRegion(actor, region)) throw CommonErrors.NOT_FOUND();
}
