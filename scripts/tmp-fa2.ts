import { analyseRulesOnly } from '../src/safety/screen.js';
import { learnedScreen } from '../src/safety/learned/learned-screen.js';
for (const t of process.argv.slice(2)) { const a = learnedScreen().assess(t); console.log(analyseRulesOnly(t).level, a.level, a.confidence.toFixed(2), t); }
