/**
 * The test tiers, each a jest project: `unit` (no process, no server), `integration` (real emulators on free ports,
 * the real KCL MultiLangDaemon, Terraform), `e2e` (`npm start` as a user runs it, and the built image under podman).
 * `npm test` runs every tier in one jest run (two workers); `npm run test:unit|test:integration|test:e2e` one tier.
 */
const base = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
    { ...base, displayName: 'integration', roots: ['<rootDir>/test/integration'] },
    { ...base, displayName: 'e2e', roots: ['<rootDir>/test/e2e', '<rootDir>/test/image'] },
  ],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/reporters/summaryLine.js'],
};
