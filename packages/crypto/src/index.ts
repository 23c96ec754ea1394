export { SecretBox } from './secret-box.js';
export { Keyring, parseKeyring, generateKey, KEY_ID_PATTERN, KEY_BYTES, type KeyringEntry } from './keyring.js';
export { SecretPurpose, ENVELOPE_VERSION, type SecretContext } from './envelope.js';
export { DecryptionError, KeyringError, type DecryptionFailure, type KeyringProblem } from './errors.js';
export { last4 } from './masking.js';
export { timingSafeEqualHex, timingSafeEqualString } from './timing-safe.js';
export { realtimeSubject } from './realtime-subject.js';
