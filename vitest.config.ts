import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources through the '@latent/source'
// export condition, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@latent/source'] },
  ssr: { resolve: { conditions: ['@latent/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    testTimeout: 60_000,
  },
})
