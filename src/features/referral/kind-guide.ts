import type { KindId } from './kinds.js';
import type { RegionGuide } from './regions.js';

interface KindGuide {
  name: (region: RegionGuide) => string;
  /** Why this kind fits, said after her own words are quoted back. */
  why: string;
  /** The resources.json purpose whose entries help her find this kind; none for the school and doctor. */
  finder?: string;
}

const GUIDE: Record<KindId, KindGuide> = {
  'domestic-violence': {
    name: () => 'Domestic-violence services',
    why: 'Nobody should be hurt or threatened in their own home, and that includes by their own child. They will not judge you, and they can help you plan how to stay safe.',
    finder: 'dv',
  },
  'substance-use': {
    name: () => 'Substance-use services for young people',
    why: 'They work with him, and they support parents as well.',
    finder: 'substance',
  },
  'adolescent-psychiatrist': {
    name: () => 'A psychiatrist for young people',
    why: 'When things are this serious, or other help has not been enough, a doctor who specialises in young people’s mental health can look at the whole picture. You usually reach one through your family doctor.',
    finder: 'therapist-finder',
  },
  'adolescent-psychologist': {
    name: () => 'A psychologist who works with teenagers',
    why: 'What you describe can be a sign he is struggling inside himself, and boys often say more to a calm outsider than to family.',
    finder: 'therapist-finder',
  },
  'family-therapist': {
    name: () => 'A family therapist',
    why: 'When talking itself has broken down, the most direct help is someone who works with you both on how you talk, rather than on “fixing” him.',
    finder: 'therapist-finder',
  },
  'school-counsellor': {
    name: () => 'His school counsellor',
    why: 'School is part of this, so the people who already see him every day are an easy first step, and they are usually free.',
  },
  'family-doctor': {
    name: (region) => capitalise(region.doctor),
    why: 'A doctor can check his health, help with your own stress too, and refer you on.',
  },
};

export function kindName(kind: KindId, region: RegionGuide): string {
  return region.kindNames?.[kind] ?? GUIDE[kind].name(region);
}

export function kindWhy(kind: KindId): string {
  return GUIDE[kind].why;
}

export function finderPurpose(kind: KindId): string | undefined {
  return GUIDE[kind].finder;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
