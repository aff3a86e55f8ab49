/** Reads a required environment variable, failing loudly at start-up rather than on a request. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is required`);
  return value;
}

/** Reads an environment variable lazily: the error surfaces when the value is first needed. */
export function lazyEnv(name: string): () => string {
  let cached: string | undefined;
  return () => {
    cached ??= requireEnv(name);
    return cached;
  };
}
