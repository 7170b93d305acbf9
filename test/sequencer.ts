import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest files, slowest first (wall time of each, measured on the 2-core CI machine). A fresh CI
 * checkout has no vitest cache of durations, so the base order is by file size and a short but slow file
 * (100 concurrent invoices) would start last and leave the other worker idle: started first, the two
 * workers finish together. Keep it to the handful that dominate; the rest follow in the base order.
 */
const SLOWEST_FIRST = [
  'test/sefaz-journeys.int.test.ts',
  'src/orders/concurrent-invoicing.int.test.ts',
  'test/e2e/onboarding.e2e.test.ts',
  'test/e2e/split.e2e.test.ts',
  'src/orders/transitions.int.test.ts',
  // 25 random order flows per database through the API (about a minute for both).
  'test/finance-properties.int.test.ts',
  // Two real `npm start` processes per database (one killed mid-publish): slow, yet a small file, so the base
  // order by size would start it last.
  'src/connector/stock-feed/restart.int.test.ts',
];

const rank = (file: TestSpecification) => {
  const at = SLOWEST_FIRST.findIndex((slow) => file.moduleId.endsWith(slow));
  return at === -1 ? SLOWEST_FIRST.length : at;
};

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    // A stable sort: the files not listed keep the base order (failed first, then longest or largest).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
