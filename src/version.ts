// Kept in step with package.json by test/version.test.ts; a literal so --version needs no file read.
export const VERSION = '0.1.0';
