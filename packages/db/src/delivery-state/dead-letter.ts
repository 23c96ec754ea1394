import type { DeadLetter, Dispatch } from '@orqestra/contracts';
import type { Selectable } from 'kysely';
import type { NotificationAttempts } from '../generated/db.js';

export type AttemptRow = Selectable<NotificationAttempts>;

/**
 * The dead letter of a notification (SPEC §3 step 4): its dispatch payload, every attempt of the
 * series as recorded, and the last error. Built here only, for the gateway and the sweeper alike,
 * so a letter republished after a crash carries the same history as one published at once.
 */
export function deadLetterOf(
  dispatch: Dispatch,
  attempts: readonly AttemptRow[],
  lastError: { code: string; message: string },
): DeadLetter {
  return {
    ...dispatch,
    attempts: attempts.map((a) => ({
      attemptSeries: a.attempt_series,
      attemptNumber: a.attempt_number,
      ...(a.provider_config_id ? { providerId: a.provider_config_id } : {}),
      provider: a.provider,
      startedAt: a.started_at.toISOString(),
      durationMs: a.duration_ms ?? 0,
      outcome: a.outcome,
      ...(a.http_status !== null ? { httpStatus: a.http_status } : {}),
      ...(a.error_code ? { errorCode: a.error_code } : {}),
      ...(a.error_message ? { errorMessage: a.error_message } : {}),
    })),
    lastError,
  };
}
