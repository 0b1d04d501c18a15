// npm-registry-fetch ships no types; this covers the one call we make.
declare module 'npm-registry-fetch' {
  interface FetchOptions {
    registry?: string;
    headers?: Record<string, string>;
    fullMetadata?: boolean;
    timeout?: number;
    preferOnline?: boolean;
    retry?: { retries?: number; minTimeout?: number; maxTimeout?: number };
    [option: string]: unknown;
  }
  interface RegistryFetch {
    json(url: string, options?: FetchOptions): Promise<unknown>;
  }
  const registryFetch: RegistryFetch;
  export default registryFetch;
}
