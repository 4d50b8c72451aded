import type { HelpResource } from '../../protocol/safety.js';

/** The resources that serve one purpose (a "therapist-finder", "dv", "emergency"…), in file order. */
export function withPurpose(resources: HelpResource[], purpose: string): HelpResource[] {
  return resources.filter((r) => r.purpose.includes(purpose));
}
