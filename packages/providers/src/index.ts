export type {
  AdapterOptions,
  Outcome,
  ProviderAdapter,
  ProviderManifest,
  SendRequest,
  TestConnectionCode,
  TestConnectionResult,
} from './types.js';
export { OUTCOME_CODES, type OutcomeCode } from './http/outcomes.js';
export {
  PROVIDERS,
  isProviderId,
  manifestFor,
  misconfiguredAdapter,
  providersFor,
  register,
  UnknownProviderError,
  type ProviderId,
  type RegisteredManifest,
} from './registry.js';
export { BaseUrlError, checkBaseUrl, checkHost, isInternalAddress, resolveCheckedAddress, type AddressCheckOptions } from './base-url.js';
export { resendManifest, resendCredentials, RESEND_BASE_URL, type ResendCredentials } from './resend/manifest.js';
export { sendGridManifest, sendGridCredentials, SENDGRID_BASE_URL, type SendGridCredentials } from './sendgrid/manifest.js';
export { smtpManifest, smtpCredentials, type SmtpCredentials } from './smtp/manifest.js';
export { twilioManifest, twilioCredentials, TWILIO_BASE_URL, type TwilioCredentials } from './twilio/manifest.js';
export {
  africasTalkingManifest,
  africasTalkingCredentials,
  AT_BASE_URL,
  AT_SANDBOX_BASE_URL,
  type AfricasTalkingCredentials,
} from './africastalking/manifest.js';
export {
  createPushAdapter,
  pushChannel,
  pushPublication,
  PUSH_PROVIDER_ID,
  type PushAdapterOptions,
  type PushPublication,
} from './push/adapter.js';
export { pushManifest, pushCredentials, type PushCredentials } from './push/manifest.js';
export { createCaptureAdapter, CAPTURE_PROVIDER_ID } from './capture/adapter.js';
export { captureManifest } from './capture/manifest.js';
export * from './fakes.js';
