// Adds up the vitest JSON reports (and the lint/type-check step) of one `npm test` run and prints
// the closing line "N passed, N failed, N skipped". Exits 1 when anything failed or nothing ran.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  if ('numTotalTests' in report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A suite that failed to load counts as a failure even though none of its tests ran.
    failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  } else {
    passed += report.passed;
    failed += report.failed;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
