const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/*
 * Module boundaries: which folder may import which. Imports are relative, so each rule is a regular expression over
 * the import string. A file gets every rule of every layer it is in (flat config would otherwise keep only the last).
 */
const up = (folders) => `^(\\.\\./)+(${folders})/`;
const LAYERS = [
  {
    // Deployable code (the image, the Lambda) never depends on the tools around it.
    files: ['consumer/**/*.ts', 'common/**/*.ts', 'processors/**/*.ts', 'doctor/**/*.ts', 'simulator/**/*.ts'],
    patterns: [
      { regex: up('cli|local|test'), message: 'deployable code never imports the CLI, the local stack or tests' },
    ],
  },
  {
    files: ['common/**/*.ts'],
    patterns: [
      { regex: up('consumer|processors|doctor|simulator'), message: 'common/ is shared: it imports no package' },
    ],
  },
  {
    files: ['processors/**/*.ts'],
    patterns: [
      { regex: up('consumer|doctor|simulator'), message: 'the historical feed does not depend on the consumer' },
    ],
  },
  {
    files: ['processors/transfer/**/*.ts'],
    patterns: [
      { regex: up('statistics'), message: 'the Lambda does not load the statistics (connect-wfm aggregate does)' },
    ],
  },
  {
    // The domain (decode, tracking, state codes, windows) is pure: it owns its types and does no I/O.
    files: ['consumer/src/domain/**/*.ts'],
    patterns: [
      {
        regex: '^\\.\\./(?!\\.\\./\\.\\./common/config/)',
        message: 'the domain imports only consumer/src/domain (and configuration types)',
      },
      {
        regex: '^\\.\\./\\.\\./\\.\\./common/config/',
        allowTypeImports: true,
        message: 'the domain takes configuration types only',
      },
      {
        regex: '^(node:|@aws-sdk/|@smithy/|axios$|aws-kcl$|inversify$|fs$|http$|https$|net$|child_process$)',
        message: 'the domain does no I/O',
      },
    ],
  },
  {
    // Delivery (policy and client) knows the domain and WFM, nothing of where records come from or go to.
    files: ['consumer/src/delivery/**/*.ts'],
    patterns: [
      {
        regex: '^\\.\\./(checkpoint|retrieval|processor|ioc|pipeline|connect|commands|observability|runtime)/',
        message: 'delivery imports only the domain (and common/)',
      },
    ],
  },
  {
    // Record sources hand records to the record processor; what runs the process (wiring, delivery) is not theirs.
    files: ['consumer/src/retrieval/**/*.ts'],
    patterns: [
      {
        regex: '^(\\.\\./)+(delivery|pipeline|ioc|commands|runtime|connect|observability)/',
        message: 'a record source imports only the record processor, the checkpointer and the domain',
      },
    ],
  },
  {
    files: ['consumer/src/checkpoint/**/*.ts'],
    patterns: [
      {
        regex: '^\\.\\./(delivery|retrieval|processor|ioc|pipeline|connect|commands|observability|runtime)/',
        message: 'the checkpoint store imports only the domain (and common/)',
      },
    ],
  },
];

/** One config block per layer, each with the patterns of every layer whose files include it (`dir/**` globs). */
const within = (glob, outer) => glob.split('**')[0].startsWith(outer.split('**')[0]);
const boundaries = LAYERS.flatMap((layer) => layer.files).map((glob) => ({
  files: [glob],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: LAYERS.filter((other) => other.files.some((outer) => within(glob, outer))).flatMap(
          (other) => other.patterns,
        ),
      },
    ],
  },
}));

module.exports = tseslint.config(
  { ignores: ['dist/**', 'dist-lambda/**', 'node_modules/**', 'coverage/**', 'reports/**', '.state/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...boundaries,
  {
    // The environment is read in one place (common/config/), validated, and handed down.
    files: ['**/*.ts'],
    ignores: ['common/config/**', 'test/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read the environment in common/config/ (processEnv())' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
