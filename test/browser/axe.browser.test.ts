import { describe, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { axeViolations, expectNoProblems, unlabelledControls, openMend, screenshot, sendMessage, useMend, waitForReplyEnd } from './browser.js';
import type { MendServer } from './server.js';

let server: MendServer;
let browser: Browser;
useMend((s, b) => { server = s; browser = b; });

type Viewport = 'desktop' | 'phone';

const VIEWPORTS: Record<Viewport, BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 860 } },
  phone: { viewport: { width: 375, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
};

const CRISIS = 'my son said he wants to kill himself tonight';

interface State {
  name: string;
  /** Some states exist at one width only (the drawer is the phone's conversation list). */
  only?: Viewport;
  /** From where the state before left the page to this state, ready for axe. */
  enter: (page: Page, viewport: Viewport) => Promise<void>;
  /** Back to the resting page; absent when the next state starts from this one. */
  leave?: (page: Page, viewport: Viewport) => Promise<void>;
}

/** On a phone the conversation list and settings live in a drawer; on a desktop they are always there. */
async function openList(page: Page, viewport: Viewport): Promise<void> {
  if (viewport !== 'phone') return;
  await page.getByRole('button', { name: 'Conversations' }).click();
  await page.locator('#sidebar.open').waitFor();
}

async function closeList(page: Page): Promise<void> {
  if (!(await page.locator('#sidebar.open').count())) return;
  await page.keyboard.press('Escape');
  await page.locator('#sidebar:not(.open)').waitFor({ state: 'attached' });
}

/** Escape closes the dialog on top; the drawer it was opened from (if any) is closed too. */
async function closeDialog(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog[open]'));
  await closeList(page);
}

async function waitDialog(page: Page, name: string): Promise<void> {
  await page.getByRole('dialog', { name }).waitFor();
  await page.waitForFunction(() => !document.querySelector('dialog[aria-busy]'));
}

/**
 * Every state the page can be in that looks different, walked in order on one page: each state
 * starts where the one before left it, so a conversation, a rehearsal and a crisis are each
 * written once per theme and width.
 */
const STATES: State[] = [
  { name: 'the empty view', enter: async () => {} },
  {
    name: 'Find help, before she writes, a guide open',
    enter: async (page) => {
      await page.locator('#modes').getByRole('button', { name: 'Find help', exact: true }).click();
      await page.locator('#find-help:not([hidden]) details.guide summary').first().click();
    },
    leave: async (page) => { await page.locator('#modes').getByRole('button', { name: 'Coach', exact: true }).click(); },
  },
  {
    name: 'the conversation list, settings open',
    enter: async (page, viewport) => {
      await openList(page, viewport);
      await page.locator('.settings-box summary').click();
      await page.locator('.settings-box[open] #settings select').first().waitFor();
    },
    leave: async (page) => {
      await page.locator('.settings-box summary').click();
      await closeList(page);
    },
  },
  {
    name: 'a conversation',
    enter: async (page) => {
      await sendMessage(page, 'He said I never listen and then he went to his room. I want to fix this.');
      await waitForReplyEnd(page, 1);
    },
  },
  {
    name: 'her plan saved, under the reply',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Save what I’ll try' }).click();
      await page.locator('#plan-offer').getByText('In your plans:').waitFor();
    },
  },
  {
    name: 'her last message being edited',
    enter: async (page) => {
      await page.locator('#transcript .msg-user').last().getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('textbox', { name: 'Your message' }).waitFor();
    },
    leave: async (page) => {
      await page.keyboard.press('Escape');
      await page.getByRole('textbox', { name: 'Your message' }).waitFor({ state: 'detached' });
    },
  },
  {
    name: 'a step card',
    enter: async (page) => {
      await page.locator('#transcript .chip').first().click();
      await page.getByRole('dialog').waitFor();
      await page.waitForFunction(() => !document.querySelector('dialog[aria-busy]'));
    },
    leave: closeDialog,
  },
  {
    name: 'a Find help reply, with its help lines',
    enter: async (page) => {
      await page.locator('#modes').getByRole('button', { name: 'Find help', exact: true }).click();
      await sendMessage(page, 'I would like to find a family counsellor for us.');
      await waitForReplyEnd(page, 2);
    },
  },
  { name: 'Get help now', enter: async (page) => { await page.locator('#help-now').click(); await waitDialog(page, 'Get help now'); }, leave: closeDialog },
  {
    name: 'What Mend remembers',
    enter: async (page) => { await page.locator('#open-memory').click(); await waitDialog(page, 'What Mend remembers'); },
    leave: closeDialog,
  },
  {
    name: 'Your progress',
    enter: async (page, viewport) => {
      await openList(page, viewport);
      await page.locator('#open-progress').click();
      await waitDialog(page, 'Your progress');
    },
    leave: closeDialog,
  },
  {
    name: 'the counsellor brief: her consent',
    enter: async (page) => {
      await page.locator('#open-brief').click();
      await page.getByRole('dialog', { name: 'Counsellor brief' }).getByRole('button', { name: 'Draft my brief' }).waitFor();
    },
  },
  {
    name: 'the counsellor brief: drafted',
    enter: async (page) => {
      const brief = page.getByRole('dialog', { name: 'Counsellor brief' });
      await brief.getByRole('button', { name: 'Draft my brief' }).click();
      await brief.locator('#brief-preview h1').waitFor();
    },
  },
  {
    name: 'the counsellor brief: being edited',
    enter: async (page) => {
      const brief = page.getByRole('dialog', { name: 'Counsellor brief' });
      await brief.getByRole('button', { name: 'Edit' }).click();
      await brief.getByRole('textbox', { name: 'Counsellor brief' }).waitFor();
    },
    leave: closeDialog,
  },
  {
    name: 'renaming a conversation',
    enter: async (page, viewport) => {
      await openList(page, viewport);
      await page.locator('#conv-list li[data-id] [data-action="rename"]').first().click();
      await page.getByRole('dialog').getByRole('textbox').waitFor();
    },
    leave: closeDialog,
  },
  {
    name: 'deleting a conversation: are you sure?',
    enter: async (page, viewport) => {
      await openList(page, viewport);
      await page.locator('#conv-list li[data-id] [data-action="delete"]').first().click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).waitFor();
    },
    leave: async (page) => {
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      await page.waitForFunction(() => !document.querySelector('dialog[open]'));
      await closeList(page);
    },
  },
  {
    name: 'setting up a rehearsal',
    enter: async (page) => {
      await page.locator('#modes').getByRole('button', { name: 'Rehearse', exact: true }).click();
      await waitDialog(page, 'Rehearse a conversation');
      await page.locator('#rehearse-scene').fill('Saying sorry for shouting about his phone');
    },
  },
  {
    name: 'a rehearsal, her turn',
    enter: async (page) => {
      await page.getByRole('button', { name: 'Start rehearsal' }).click();
      await page.locator('#rehearse-bar[data-phase="setup"]').waitFor();
      await sendMessage(page, 'I am sorry I shouted at you last night.');
      await page.waitForFunction(() => document.getElementById('rehearse-bar')?.dataset.phase === 'her-turn'
        && !document.querySelector('#transcript .streaming'), undefined, { timeout: 40_000 });
    },
  },
  {
    name: 'a rehearsal, ended with its feedback',
    enter: async (page) => {
      await page.locator('#rehearse-bar [data-rehearsal="end"]').click();
      await page.locator('#rehearse-bar[data-phase="ended"]').waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('#transcript .streaming'));
    },
  },
  {
    name: 'the crisis banner, standing, above a safety notice',
    enter: async (page, viewport) => {
      await openList(page, viewport);
      await page.locator('#new-conversation').click();
      await closeList(page);
      await page.locator('#rehearse-bar').waitFor({ state: 'hidden' });
      await sendMessage(page, CRISIS);
      await page.locator('#crisis-banner').waitFor({ state: 'visible', timeout: 15_000 });
      await waitForReplyEnd(page, 1);
      await page.locator('#transcript .safety-card').waitFor();
    },
  },
  {
    name: 'the crisis banner, folded to its call buttons',
    enter: async (page) => {
      await page.locator('#crisis-banner').getByRole('button', { name: 'Less' }).click();
      await page.locator('#crisis-banner.collapsed').waitFor();
    },
  },
  { name: 'the drawer, an urgent conversation in it', only: 'phone', enter: openList, leave: closeList },
];

const slug = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');

const COMBOS = (['desktop', 'phone'] as const).flatMap((viewport) => (['light', 'dark'] as const).map((theme) => ({ viewport, theme })));

describe('axe-core: no violations of any impact', () => {
  // Each theme × width walks the whole table on its own page, alongside the others.
  it.concurrent.for(COMBOS)('in every state, $theme theme, $viewport', async ({ viewport, theme }, { expect }) => {
    const { page, problems, context } = await openMend(browser, server.url, { ...VIEWPORTS[viewport], colorScheme: theme });
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(theme === 'dark');
    const states = STATES.filter((s) => !s.only || s.only === viewport);
    for (const [i, state] of states.entries()) {
      await state.enter(page, viewport);
      // Soft: one state's violations are reported under its name, and the walk goes on to the next.
      expect.soft(await axeViolations(page), `${state.name} (${theme}, ${viewport})`).toEqual([]);
      expect.soft(await unlabelledControls(page), `controls without a visible label or tooltip: ${state.name} (${theme}, ${viewport})`).toEqual([]);
      await screenshot(page, `07-axe-${theme}-${viewport}-${String(i + 1).padStart(2, '0')}-${slug(state.name)}`);
      await state.leave?.(page, viewport);
    }
    expectNoProblems(problems);
    await context.close();
  });
});
