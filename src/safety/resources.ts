/**
 * Help lines by region (knowledge/safety/resources.json), validated at module load, and the
 * choice of lines for a verdict: who is at risk decides which line comes first.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { HelpResource, Region, type RiskSubject, type SafetyLevel } from '../protocol/safety.js';
import { SafetyDataError } from './rules.js';

const RESOURCES_FILE = fileURLToPath(new URL('../../knowledge/safety/resources.json', import.meta.url));

const StoredResource = HelpResource.extend({
  verified: z.string().regex(/^\d{4}-\d{2}$/, 'verified must look like "2026-11"'),
}).strict();

const ResourcesFile = z.object({
  description: z.string(),
  verified: z.string(),
  regions: z.object(Object.fromEntries(Region.options.map((r) => [r, z.array(StoredResource).min(1)])) as Record<Region, z.ZodArray<typeof StoredResource>>).strict(),
}).strict();

function load(path: string): Record<Region, HelpResource[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SafetyDataError(`Safety data file resources.json could not be read: ${(err as Error).message}`);
  }
  const parsed = ResourcesFile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SafetyDataError(`Safety data file resources.json is invalid: ${issues}`);
  }
  const out = {} as Record<Region, HelpResource[]>;
  for (const region of Region.options) {
    const list = parsed.data.regions[region].map(({ verified: _verified, ...rest }) => Object.freeze(HelpResource.parse(rest)));
    if (!list.some((r) => r.purpose.includes('emergency'))) {
      throw new SafetyDataError(`Safety data file resources.json: region ${region} has no emergency entry`);
    }
    out[region] = list;
  }
  return out;
}

const BY_REGION = load(RESOURCES_FILE);

/** Every resource listed for a region, in file order (for the help page). */
export function helpLines(region: Region): HelpResource[] {
  return [...BY_REGION[region]];
}

/** The lines that fit each subject, first choice first; later purposes are fallbacks for gaps. */
const PURPOSES: Record<RiskSubject, readonly string[]> = {
  'mother-safety': ['dv', 'suicide'],
  'son-self-harm': ['suicide'],
  'mother-distress': ['suicide'],
  'son-abused': ['child-abuse', 'parenting', 'suicide'],
  substance: ['substance', 'parenting', 'suicide'],
  'violence-to-others': ['parenting', 'suicide'],
  relationship: ['therapist-finder', 'parenting', 'mental-health'],
};

/** How many lines to take per subject, and in total. Short lists get read. */
const PER_SUBJECT = 2;
const MAX_LINES = 5;

function withPurpose(region: Region, purpose: string): HelpResource[] {
  return BY_REGION[region].filter((r) => r.purpose.includes(purpose));
}

function firstAvailable(region: Region, purposes: readonly string[]): HelpResource[] {
  for (const p of purposes) {
    const found = withPurpose(region, p);
    if (found.length) return found.slice(0, PER_SUBJECT);
  }
  return [];
}

/**
 * The help lines for these subjects in this region, most fitting first. At crisis the
 * emergency number always comes first; at high it closes the list; at strained (or with only
 * the relationship at stake) she gets counselling finders and parenting support.
 */
export function resourcesFor(region: Region, subjects: readonly RiskSubject[], level: SafetyLevel = 'high'): HelpResource[] {
  if (level === 'calm') return [];
  const out: HelpResource[] = [];
  const add = (list: HelpResource[]) => {
    for (const r of list) if (!out.some((o) => o.id === r.id)) out.push(r);
  };
  const emergency = withPurpose(region, 'emergency').slice(0, 1);
  if (level === 'crisis') add(emergency);
  if (level === 'strained') {
    add(firstAvailable(region, PURPOSES.relationship));
    for (const s of subjects) if (s === 'substance') add(firstAvailable(region, ['substance']));
    return out.slice(0, 3);
  }
  const serious = subjects.filter((s) => s !== 'relationship');
  for (const s of serious.length ? serious : (['mother-distress'] as RiskSubject[])) add(firstAvailable(region, PURPOSES[s]));
  if (level === 'high') add(emergency);
  // The emergency number is never cut, whatever the length.
  const limited = out.slice(0, MAX_LINES);
  for (const e of emergency) if (!limited.includes(e)) limited[limited.length - 1] = e;
  return limited;
}
