/**
 * The one owner of delivery state (issue 10): every transition of `notification_logs` and its
 * `notification_attempts` lives in this folder, and every other file calls it (a unit test,
 * sole-writer.spec.ts, fails when another file writes either table). Each function takes the
 * caller's transaction handle, so callers compose transitions into their own units of work. The
 * gateway's transitions take a whole batch (one statement for every notification of a tenant).
 *
 *   created    PENDING / FAILED at creation   createNotifications (worker: a tenant group at once), createNotification (one),
 *                                             createTestSend (admin)
 *   claimed    PENDING|RETRYING → SENDING     claim (+ storeInApp for PUSH)
 *   recorded   attempts of a claim            recordAttempts
 *   outcome    SENDING → SENT                 markSent (+ storeCaptured for sandbox)
 *              SENDING → RETRYING             markRetrying (next_attempt_at from the database clock)
 *              SENDING → FAILED               markFailed (returns the dead letter)
 *   recovered  stranded rows (sweeper)        reclaimStranded, recordLeaseExpired, deadLetterOfStranded
 *   replayed   FAILED → PENDING, new series   resetForReplay
 */
export { createNotification, createNotifications, createTestSend, type NewNotification } from './create.js';
export {
  claim,
  recordAttempts,
  markSent,
  markRetrying,
  markFailed,
  attemptsOf,
  lastAmbiguousProviders,
  type Claim,
  type ClaimRequest,
  type AttemptRecord,
  type Failure,
} from './attempt.js';
export { storeInApp, storeCaptured } from './outputs.js';
export {
  reclaimStranded,
  recordLeaseExpired,
  deadLetterOfStranded,
  lastErrorOfStranded,
  dispatchOfRow,
  type Stranded,
  type StrandedRow,
} from './sweep.js';
export { resetForReplay } from './replay.js';
export { deadLetterOf, type AttemptRow } from './dead-letter.js';
