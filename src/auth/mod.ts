/**
 * Caller authentication: the bearer token store and its authenticator, and the auth gate
 * that asks a signed `authProvider` plugin instead.
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
export {
  type AuthDecision,
  type AuthGateDeps,
  type AuthProvider,
  createAuthGate,
  CREDENTIAL_HEADERS,
  requestView,
  resolveDeno,
} from "./auth_gate.ts";
