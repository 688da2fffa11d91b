/**
 * Coveo's rules for customData keys: lower case, whitespace becomes "_", and only letters, digits and "_" remain
 * (other characters become "_" too, rather than refusing the event).
 */
export function normalizeCustomData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    out[key.toLowerCase().replace(/\s+/g, '_').replace(/[^\p{L}\p{N}_]/gu, '_')] = value;
  }
  return out;
}

/** What is stored of an event body: identity fields are resolved separately and never kept as sent. */
export function storablePayload(body: Record<string, unknown>, username: string | null): Record<string, unknown> {
  const { username: _u, userDisplayName, customData, ...rest } = body;
  const payload: Record<string, unknown> = { ...rest };
  if (username !== null) {
    payload.username = username;
    if (userDisplayName !== undefined) payload.userDisplayName = userDisplayName;
  }
  if (customData && typeof customData === 'object' && !Array.isArray(customData)) {
    payload.customData = normalizeCustomData(customData as Record<string, unknown>);
  }
  return payload;
}
