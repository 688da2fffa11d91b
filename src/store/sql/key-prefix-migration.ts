/**
 * Migration 10, the same on both engines: a key's listed prefix keeps 4 characters of its secret (after the `lethe_`
 * marker of a generated key), no longer 12, since 12 clear characters of a short LETHE_ADMIN_KEY left too little to
 * guess from the stored hash. Only that key, named 'admin (LETHE_ADMIN_KEY)' by api-keys.ts, has a chosen secret.
 */
export const SHORTEN_KEY_PREFIXES = `
  UPDATE api_keys SET prefix = CASE
    WHEN name <> 'admin (LETHE_ADMIN_KEY)' AND substr(prefix, 1, 6) = 'lethe_' THEN substr(prefix, 1, 10)
    ELSE substr(prefix, 1, 4)
  END;
`;
