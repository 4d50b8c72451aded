// Adds up vitest JSON reports (and failed non-test steps such as the type-check) into the
// one line CI reads: "N passed, N failed". Exits non-zero when anything failed or ran nothing.
import { existsSync, readFileSync } from 'node:fs';

const [stepFailures = '0', ...reports] = process.argv.slice(2);
let passed = 0;
let failed = Number(stepFailures);
for (const file of reports) {
  if (!existsSync(file)) {
    console.log(`missing report: ${file}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  const failedTests = report.numFailedTests ?? 0;
  // A file that failed to load has no failed tests of its own; count it once.
  failed += failedTests > 0 ? failedTests : (report.numFailedTestSuites ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
