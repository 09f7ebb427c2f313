import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // `.only` left in a test must fail CI rather than silently skip the rest.
    allowOnly: !process.env['CI'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
