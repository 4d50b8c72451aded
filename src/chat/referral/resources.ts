import type { HelpResource, Region } from '../../safety/verdict.js';
import { helpLines } from '../../safety/resources.js';

/** Every help resource listed for a region (lines, services, directories). */
export type ResourceLookup = (region: Region) => HelpResource[];

/** The region's resources: the same list the safety screen uses, so they never disagree about a number. */
export const regionResources: ResourceLookup = (region) => helpLines(region);

export function withPurpose(resources: HelpResource[], purpose: string): HelpResource[] {
  return resources.filter((r) => r.purpose.includes(purpose));
}

/** "Name: call 988, text HOME to 741741, 988lifeline.org (24/7)", in Markdown. */
export function describeResource(resource: HelpResource): string {
  const ways = [
    resource.phone && `call ${resource.phone}`,
    resource.text && lowerFirst(resource.text),
    resource.web && webLink(resource.web),
  ].filter(Boolean);
  const hours = resource.hours ? ` (${resource.hours})` : '';
  return `**${resource.name}**${ways.length ? `: ${ways.join(', ')}` : ''}${hours}`;
}

function webLink(web: string): string {
  const url = /^https?:\/\//.test(web) ? web : `https://${web}`;
  return `[${web.replace(/^https?:\/\//, '').replace(/\/$/, '')}](${url})`;
}

function lowerFirst(text: string): string {
  return /^Text\b/.test(text) ? `t${text.slice(1)}` : text;
}
