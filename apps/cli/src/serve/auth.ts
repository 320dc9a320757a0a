import { createHash, timingSafeEqual } from 'node:crypto';

/** The `WWW-Authenticate` challenge of a 401 (RFC 6750). */
export const BEARER_REALM = 'Bearer realm="collab"';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Checks an `Authorization` header against the server's token in constant time (both sides are hashed first,
 * so neither the token's length nor its content leaks through timing). Returns null when it matches, else the
 * reason and the challenge to answer 401 with; the reason never repeats the header or the token.
 */
export function checkBearer(header: string | undefined, token: string): { message: string; challenge: string } | null {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return { message: 'this server needs a bearer token: send the header "Authorization: Bearer <token>"', challenge: BEARER_REALM };
  if (!timingSafeEqual(digest(m[1]), digest(token))) return { message: 'the bearer token is not valid', challenge: `${BEARER_REALM}, error="invalid_token"` };
  return null;
}
