import { authErrorMessage, type AuthFailure } from "./auth-errors";

/**
 * Words for a failed passkey ceremony. The passkey client reports the browser's refusals
 * with `@simplewebauthn/browser`'s codes: a closed or timed-out prompt is a NotAllowedError,
 * passed through as ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY with the browser's own (technical)
 * message, which is not what a person should read.
 */
export function passkeyErrorMessage(
  failure: AuthFailure,
  retryAfter: number | null,
  fallback: string,
): string {
  switch (failure.code) {
    case "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY":
    case "ERROR_CEREMONY_ABORTED":
    case "AUTH_CANCELLED":
    case "REGISTRATION_CANCELLED":
      return "The passkey prompt was closed or timed out. Try again when you are ready.";
    case "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED":
      return "This device already holds a passkey for your account.";
    case "PASSKEY_NOT_FOUND":
      return "This passkey is not registered with Parley. Sign in with your password.";
    case "AUTHENTICATION_FAILED":
      return "The passkey could not be verified. Try again, or sign in with your password.";
    case "SESSION_NOT_FRESH":
      return "For your safety, adding a passkey needs a recent sign-in. Sign out, sign in again, then add it.";
    case "ERROR_INVALID_DOMAIN":
    case "ERROR_INVALID_RP_ID":
      return "Passkeys work only at Parley's own address. Open Parley there and try again.";
    default:
      break;
  }
  // A browser without WebAuthn fails before any prompt, with an error of its own.
  if (failure.code === "UNKNOWN_ERROR") return fallback;
  return authErrorMessage(failure, retryAfter, fallback);
}
