import type { Region } from '../../protocol/safety.js';
import type { KindId } from './kinds.js';

/** How help is reached in one region, in words a parent there would use. */
export interface RegionGuide {
  /** "in the UK", "where you live" */
  where: string;
  /** Who her family doctor is called there. */
  doctor: string;
  /** How the health system or insurance leads to a therapist. */
  healthRoute: string;
  /** What the kinds of help are called there, where it differs from the plain name. */
  kindNames?: Partial<Record<KindId, string>>;
}

const GUIDES: Record<Region, RegionGuide> = {
  US: {
    where: 'in the US',
    doctor: 'your family doctor or his pediatrician',
    kindNames: { 'school-counsellor': 'His school counselor' },
    healthRoute: 'If you have health insurance, call the member services number on your card and ask which family therapists or adolescent psychologists near you are covered. Without insurance, ask a community mental health center about fees based on income.',
  },
  UK: {
    where: 'in the UK',
    doctor: 'your GP',
    kindNames: {
      'domestic-violence': 'Domestic abuse services',
      'substance-use': 'Drug and alcohol services for young people',
      'school-counsellor': 'His school’s pastoral team or counsellor',
    },
    healthRoute: 'On the NHS, your GP can refer him to the local children and young people’s mental health service (often called CAMHS). Waits can be long, so ask what support there is in the meantime.',
  },
  CA: {
    where: 'in Canada',
    doctor: 'your family doctor',
    healthRoute: 'Your family doctor can refer you to publicly funded services in your province. If you have benefits through work, check whether they cover counselling.',
  },
  AU: {
    where: 'in Australia',
    doctor: 'your GP',
    healthRoute: 'Your GP can write a Mental Health Treatment Plan, which lets you claim Medicare rebates for sessions with a psychologist.',
  },
  IE: {
    where: 'in Ireland',
    doctor: 'your GP',
    healthRoute: 'Your GP can refer him to HSE services, including CAMHS for under-18s, and can tell you about free local supports for young people.',
  },
  NZ: {
    where: 'in New Zealand',
    doctor: 'your GP',
    healthRoute: 'Your GP is the usual way into publicly funded youth mental health services and can tell you what is free locally.',
  },
  OTHER: {
    where: 'where you live',
    doctor: 'your family doctor',
    healthRoute: 'Your family doctor or local health service can tell you what is available near you. If you have health insurance, the number on your card can tell you who is covered.',
  },
};

export function regionGuide(region: Region): RegionGuide {
  return GUIDES[region];
}
