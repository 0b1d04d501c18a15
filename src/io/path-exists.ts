import { access } from 'node:fs/promises';

/** True when the path can be reached (any kind of file). Callers then read it and report their own errors. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
