/**
 * The small part of mocha's TDD interface the suites use, typed here so that the root `tsc` needs
 * no @types/mocha (mocha itself is a dependency of test/e2e/ and is bundled into the test entry).
 * The functions forward to the globals mocha installs on `pre-require` (see index.ts), so a suite
 * file must be loaded after that, as index.ts does.
 */

export interface TestContext {
  timeout(ms: number): void;
  skip(): never;
}

type Body = (this: TestContext) => unknown;

interface MochaGlobals {
  suite(title: string, fn: () => void): void;
  test(title: string, fn: Body): void;
  suiteSetup(fn: Body): void;
  suiteTeardown(fn: Body): void;
  setup(fn: Body): void;
  teardown(fn: Body): void;
}

function globals(): MochaGlobals {
  const g = globalThis as unknown as Partial<MochaGlobals>;
  if (typeof g.suite !== 'function') throw new Error('mocha TDD globals are not installed: load suites from index.ts');
  return g as MochaGlobals;
}

export function suite(title: string, fn: () => void): void {
  globals().suite(title, fn);
}
export function test(title: string, fn: Body): void {
  globals().test(title, fn);
}
export function suiteSetup(fn: Body): void {
  globals().suiteSetup(fn);
}
export function suiteTeardown(fn: Body): void {
  globals().suiteTeardown(fn);
}
export function setup(fn: Body): void {
  globals().setup(fn);
}
export function teardown(fn: Body): void {
  globals().teardown(fn);
}

/** The mocha runner, as index.ts drives it. */
export interface MochaRunner {
  suite: { emit(event: 'pre-require', context: object, file: string, mocha: MochaRunner): void };
  run(done: (failures: number) => void): { stats?: { passes: number; failures: number; pending: number } };
}
export type MochaConstructor = new (options: Record<string, unknown>) => MochaRunner;
