/**
 * Policy: turns findings into actions, and decides the mode.
 *
 * @module
 */
export { presetAction, PRESETS, type TypeTraits } from "./presets.ts";
export { compilePolicy, type Policy } from "./policy.ts";
export {
  admitPolicyBundle,
  applyPolicyBundle,
  type BundlePolicy,
  type PolicyBundle,
  signPolicyBundle,
  verifyPolicyBundle,
} from "./bundle.ts";
export { applyProfile, PRIVACY_PROFILES, type PrivacyProfile } from "./profiles.ts";
export {
  type CallerProfileConfig,
  type CompiledProfile,
  compileProfiles,
  defaultProfileConfig,
  modelAllowed,
  type ProfileBinding,
  type ProfileSet,
  type ProfilesInput,
  type ProfileSubject,
} from "./caller_profiles.ts";
