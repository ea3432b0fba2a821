// Lint config: typescript-eslint's type-checked rules (through the project service, so every rule sees
// the types tsc sees) over src, test and bench; build output and data are ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // node:test's test/describe/it/suite return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // The fake API server stores whatever JSON a client sends, of any kind, as a real one does: its
    // objects' spec and status are untyped (`any`), and the tests that read them back through it
    // inherit that. Typing the fake store with the client's models is the way to drop this exception;
    // the no-unsafe rules stay on everywhere else (src, bench and every other test).
    files: [
      'test/cluster/kube/fake-apiserver.ts',
      'test/cluster/kube/fake-apiserver-strict.test.ts',
      'test/cluster/kube/driver.test.ts',
      'test/cluster/kube/driver-batch.test.ts',
      'test/cluster/kube/rbac.test.ts',
      'test/e2e/fake-dataplane.ts',
      'test/e2e/kube-run.test.ts',
      'test/e2e/kube-admin-tier.test.ts',
      'test/cni/fake-controllers.ts',
      'test/cni/install-fake.test.ts',
      'test/cni/calico-plan.test.ts',
      'test/cni/dry-run.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // The config files themselves are plain JavaScript outside tsconfig.json: lint them without types.
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
);
