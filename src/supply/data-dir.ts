import { fileURLToPath } from 'node:url';

/** rules/data, found from both src/supply (tests run the sources) and dist/supply (the built package). */
export function defaultDataDir(): string {
  return fileURLToPath(new URL('../../rules/data/', import.meta.url));
}
