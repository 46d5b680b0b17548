/**
 * Built-in caller authentication: the bearer token store and its authenticator.
 *
 * @module
 */
export {
  addToken,
  type AuthHasher,
  checkNewToken,
  createAuthHasher,
  readTokenStore,
  revokeToken,
  type StoredToken,
  TOKEN_TYPES,
  type TokenType,
} from "./store.ts";
export { type BearerAuth, type BearerIdentity, createBearerAuth } from "./bearer.ts";
export {
  createExternalAuth,
  type ExternalAuthProvider,
  type ExternalCaller,
  type ExternalIdentity,
} from "./external.ts";
