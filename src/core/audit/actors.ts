/**
 * Who did something, named without personal data: an API key by its ID, the operator's CLI by the OS account it
 * ran under, Lethe itself, or the holder of an export's share link.
 */
export const SYSTEM_ACTOR = 'system';
export const SHARE_LINK_ACTOR = 'share-link';
export const keyActor = (keyId: string) => `key:${keyId}`;
export const cliActor = (osUser: string) => `cli:${osUser}`;
