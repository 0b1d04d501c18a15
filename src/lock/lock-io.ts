// The lock's read and write functions live in lock-file.ts with the rest of the lock file's concept;
// this path stays importable for code written against the earlier layout.
export { invalidLockError, parseLock, readLock, writeLockAtomic } from './lock-file.js';
