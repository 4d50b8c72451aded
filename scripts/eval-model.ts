/**
 * `npm run eval`: the scripted mothers in eval/personas.json against the configured endpoint,
 * each transcript scored by a judge model (MEND_EVAL_JUDGE_MODEL, or the same model) with
 * prompts/eval-judge.md; prints a table and writes eval/results.json.
 *   npm run eval -- --only calm-chores,crisis-son --out eval/results.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, resolveProvider } from '../src/config/env.js';
import { loadPersonas, resultsTable, runEvaluation } from '../src/eval/index.js';
import { endpointModel, modelFromConfig } from '../src/model-from-config.js';

const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string', default: 'eval/results.json' }, personas: { type: 'string', default: 'eval/personas.json' } } });

try {
  if (process.env.DOTENV !== 'off') {
    try { process.loadEnvFile('.env'); } catch { /* no .env: the environment alone */ }
  }
  const config = loadConfig();
  if (resolveProvider(config) !== 'openai') {
    process.stderr.write('npm run eval needs a model: set OPENAI_BASE_URL (and OPENAI_API_KEY, MEND_MODEL) first.\n');
    process.exit(2);
  }
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const personas = loadPersonas(values.personas!).filter((p) => !only || only.includes(p.id));
  if (personas.length === 0) throw new Error(`no persona matches --only ${values.only}`);
  const judgeName = config.MEND_EVAL_JUDGE_MODEL ?? config.MEND_MODEL;
  process.stderr.write(`Evaluating ${config.MEND_MODEL} on ${personas.length} personas; judge: ${judgeName}\n`);
  const results = await runEvaluation({ config, model: modelFromConfig(config)!, judge: endpointModel(config, { model: judgeName, reasoning: undefined }), personas });
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify({ model: config.MEND_MODEL, judge: judgeName, at: new Date().toISOString(), results }, null, 2)}\n`);
  process.stdout.write(`${resultsTable(results)}\n\nTranscripts and scores: ${values.out}\n`);
} catch (error) {
  process.stderr.write(`eval: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
  process.exit(1);
}
