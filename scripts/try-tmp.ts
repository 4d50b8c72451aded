import { createHarness, ChatClient } from '../test/helpers/harness.js';
const h = await createHarness();
const c = await ChatClient.open(h);
let conv: string | undefined;
for (const t of process.argv.slice(2)) {
  const end = await c.say(t, conv ? { conversationId: conv } : {});
  conv = end.conversationId;
  console.log('\n>>', t, '\n', end.text, '\n  meta:', JSON.stringify({ u: end.meta.understood, q: end.meta.quickReplies?.map((x) => x.label), steps: end.meta.steps }));
}
c.close(); await h.close();
