// Generated from the API's /api/docs.json by packages/sdk/scripts/generate-types.mjs
// (openapi-typescript). Do not edit: run `npm run generate -w @orqestra/node` against a running API.
// The drift check in src/openapi-drift.int.spec.ts fails when this file no longer matches.
export interface paths {
    "/api/v1/auth/realtime-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a realtime (Centrifugo) connection token for one of your users
         * @description Call it from your backend with a live API key and hand the token to the browser (Centrifugo getToken callback). The same token opens the inbox routes as a Bearer credential. Signed like every body-carrying call when the tenant has a webhook secret.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description The tenant API key (oq_live_… or oq_test_…). */
                    "x-api-key": string;
                    "x-orqestra-signature"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RealtimeTokenRequest"];
                };
            };
            responses: {
                /** @description The token and the channels to subscribe to */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RealtimeToken"];
                    };
                };
                /** @description INVALID_API_KEY, SIGNATURE_REQUIRED, INVALID_SIGNATURE, or SANDBOX_SESSION_INVALID (sandbox keys cannot mint tokens) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description RATE_LIMITED (per tenant, REALTIME_TOKEN_RATE_PER_MINUTE), with Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description UNAVAILABLE */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An event's outcome per channel */
        get: {
            parameters: {
                query?: never;
                header: {
                    "x-api-key": string;
                };
                path: {
                    eventId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Processed by the worker */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EventStatus"];
                    };
                };
                /** @description INVALID_API_KEY */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not processed yet: the body also carries "status": "QUEUED" */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED: a parameter is invalid */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/trigger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trigger an event
         * @description Accepted only after Kafka acknowledged it. Checks in order: API key, tenant active, signature, body, idempotency, rate limit.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    "x-api-key": string;
                    /** @description 1-255 printable ASCII characters; repeats within 24 h replay the first answer. */
                    "x-idempotency-key"?: string;
                    /** @description Hex HMAC-SHA256 of the exact raw body with the webhook secret; required when the tenant has one. */
                    "x-orqestra-signature"?: string;
                    /** @description 1-128 of [A-Za-z0-9._:-]; otherwise a new one is generated. Echoed back. */
                    "x-trace-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channels?: ("EMAIL" | "SMS" | "PUSH")[];
                        eventId?: string;
                        eventType: string;
                        locale?: string;
                        /** @description The recipient. Other keys are accepted and exposed to templates (variables win on a clash). */
                        payload: {
                            recipientEmail?: string;
                            recipientPhone?: string;
                            userId: string;
                        } & {
                            [key: string]: unknown;
                        };
                        variables?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Accepted (or a replay, with Idempotent-Replayed: true) */
                200: {
                    headers: {
                        /** @description Requests per minute allowed for this tenant and mode */
                        "RateLimit-Limit"?: number;
                        /** @description Requests that could be sent right now */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the next request would be allowed */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EventAccepted"];
                    };
                };
                /** @description INVALID_API_KEY, SIGNATURE_REQUIRED, INVALID_SIGNATURE or SANDBOX_SESSION_INVALID */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_IN_PROGRESS (Retry-After: 1) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description PAYLOAD_TOO_LARGE (over 256 KiB) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED: details lists every bad field */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description RATE_LIMITED, with Retry-After and RateLimit-* */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description UNAVAILABLE: Kafka or Redis unreachable; retrying with the same key or eventId is safe */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/trigger/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Trigger up to 100 events
         * @description Each event is validated, deduplicated by its own eventId and charged as if sent alone. X-Idempotency-Key replays the whole answer; the signature covers the whole body.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    "x-api-key": string;
                    /** @description 1-255 printable ASCII characters; repeats within 24 h replay the first answer. */
                    "x-idempotency-key"?: string;
                    /** @description Hex HMAC-SHA256 of the exact raw body with the webhook secret; required when the tenant has one. */
                    "x-orqestra-signature"?: string;
                    /** @description 1-128 of [A-Za-z0-9._:-]; otherwise a new one is generated. Echoed back. */
                    "x-trace-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        events: unknown[];
                    };
                };
            };
            responses: {
                /** @description One result per event, in request order: the single-event success body, or {success: false, error} */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results: (components["schemas"]["EventAccepted"] | {
                                error: {
                                    code: string;
                                    message: string;
                                };
                                /** @enum {boolean} */
                                success: false;
                            })[];
                        };
                    };
                };
                /** @description INVALID_API_KEY, SIGNATURE_REQUIRED or INVALID_SIGNATURE */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_IN_PROGRESS for the bulk key */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description PAYLOAD_TOO_LARGE */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description UNSUPPORTED_MEDIA_TYPE */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED: not {events: [1..100]} */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description UNAVAILABLE */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbox/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's in-app notifications, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description pagination.nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                    status?: "unread" | "all";
                    /** @description Required with x-api-key; ignored with a Bearer token (the user comes from the token). */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: components["schemas"]["InboxItem"][];
                            pagination: {
                                limit: number;
                                nextCursor: string | null;
                            };
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description UNAUTHENTICATED (bad or expired realtime token) or INVALID_API_KEY */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED (e.g. userId missing with an API key) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description RATE_LIMITED (per user, INBOX_RATE_PER_MINUTE), with Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbox/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark one notification read (idempotent: the first read time is kept) */
        post: {
            parameters: {
                query?: {
                    /** @description Required with x-api-key; ignored with a Bearer token. */
                    userId?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Read */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            readAt: string;
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description UNAUTHENTICATED (bad or expired realtime token) or INVALID_API_KEY */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description NOT_FOUND: not a notification of this user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED (e.g. userId missing with an API key) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description RATE_LIMITED (per user, INBOX_RATE_PER_MINUTE), with Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbox/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark every unread notification of the user read */
        post: {
            parameters: {
                query?: {
                    /** @description Required with x-api-key; ignored with a Bearer token. */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description How many changed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            success: true;
                            updated: number;
                        };
                    };
                };
                /** @description UNAUTHENTICATED (bad or expired realtime token) or INVALID_API_KEY */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED (e.g. userId missing with an API key) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description RATE_LIMITED (per user, INBOX_RATE_PER_MINUTE), with Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbox/unread-count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many of the user’s notifications are unread */
        get: {
            parameters: {
                query?: {
                    /** @description Required with x-api-key; ignored with a Bearer token. */
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The count */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            success: true;
                            unreadCount: number;
                        };
                    };
                };
                /** @description UNAUTHENTICATED (bad or expired realtime token) or INVALID_API_KEY */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description TENANT_SUSPENDED */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description VALIDATION_FAILED (e.g. userId missing with an API key) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description RATE_LIMITED (per user, INBOX_RATE_PER_MINUTE), with Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error has this shape (SPEC §2.1). */
        Error: {
            error: {
                /** @enum {string} */
                code: "INVALID_API_KEY" | "SIGNATURE_REQUIRED" | "INVALID_SIGNATURE" | "SANDBOX_SESSION_INVALID" | "TENANT_SUSPENDED" | "IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_IN_PROGRESS" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "VALIDATION_FAILED" | "RATE_LIMITED" | "UNAVAILABLE" | "NOT_FOUND" | "UNAUTHENTICATED" | "FORBIDDEN" | "PASSWORD_CHANGE_REQUIRED" | "INVALID_LOGIN" | "REFRESH_TOKEN_INVALID" | "CSRF_HEADER_REQUIRED" | "CONFLICT" | "INTERNAL" | "BASE_URL_OPERATOR_ONLY" | "NO_ACTIVE_TEMPLATE" | "CHANNEL_NOT_ALLOWED" | "MISSING_RECIPIENT" | "DUPLICATE_EVENT_ID" | "EVENT_DATA_INVALID" | "AMBIGUOUS_SEND" | "RETRIES_EXHAUSTED" | "NO_PROVIDER" | "TEMPLATE_NOT_FOUND" | "TEMPLATE_INVALID" | "TEMPLATE_TOO_LARGE" | "TEMPLATE_RENDER_TIMEOUT" | "TEMPLATE_OUTPUT_TOO_LARGE" | "BASE_URL_NOT_ALLOWED" | "MESSAGE_INVALID";
                details?: {
                    column?: number;
                    line?: number;
                    message: string;
                    path: string;
                }[];
                message: string;
            };
            /** @enum {boolean} */
            success: false;
            traceId: string;
        };
        EventAccepted: {
            /** @description true when this is a replay of an earlier accepted request */
            duplicate: boolean;
            eventId: string;
            /** @example Event order.confirmed accepted */
            message: string;
            /** @enum {boolean} */
            success: true;
            traceId: string;
        };
        EventStatus: {
            /** Format: date-time */
            acceptedAt: string;
            channels: {
                EMAIL?: {
                    errorCode?: string;
                    /** Format: uuid */
                    notificationId: string;
                    status: string;
                } | {
                    /** @enum {string} */
                    skipped: "NO_ACTIVE_TEMPLATE" | "CHANNEL_NOT_ALLOWED";
                };
                PUSH?: {
                    errorCode?: string;
                    /** Format: uuid */
                    notificationId: string;
                    status: string;
                } | {
                    /** @enum {string} */
                    skipped: "NO_ACTIVE_TEMPLATE" | "CHANNEL_NOT_ALLOWED";
                };
                SMS?: {
                    errorCode?: string;
                    /** Format: uuid */
                    notificationId: string;
                    status: string;
                } | {
                    /** @enum {string} */
                    skipped: "NO_ACTIVE_TEMPLATE" | "CHANNEL_NOT_ALLOWED";
                };
            };
            /** @description Times this eventId was accepted again after the idempotency window (DUPLICATE_EVENT_ID); never delivered again. */
            duplicates: number;
            /** @description Only with status FAILED. */
            error?: {
                /** @enum {string} */
                code: "EVENT_DATA_INVALID";
                message: string;
            };
            eventId: string;
            eventType: string;
            /** Format: date-time */
            processedAt: string | null;
            /**
             * @description FAILED: the worker could not store the event (see error); no channel was delivered.
             * @enum {string}
             */
            status: "PROCESSING" | "PROCESSED" | "FAILED";
            /** @enum {boolean} */
            success: true;
        };
        InboxItem: {
            body: string;
            /** @enum {string} */
            category: "info" | "success" | "warning" | "alert" | "error";
            /**
             * Format: date-time
             * @description When the event was accepted
             */
            createdAt: string;
            data?: unknown;
            eventType: string;
            /**
             * Format: uuid
             * @description The notification id; the same id arrives in the live publication.
             */
            id: string;
            /** Format: date-time */
            readAt: string | null;
            title: string;
        };
        RealtimeToken: {
            /** @description Subscribe to each with newSubscription(); global_system#<sub> comes first. */
            channels: string[];
            /** Format: date-time */
            expiresAt: string;
            /** @description Centrifugo connection JWT (HS256): sub, exp, iat, aud, iss. */
            token: string;
        };
        RealtimeTokenRequest: {
            /** @description Token lifetime in seconds, 10 to 86400; default REALTIME_TOKEN_TTL_SECONDS (1 hour). */
            ttlSeconds?: number;
            /** @description The recipient's id in the tenant's system (payload.userId of triggered events). */
            userId: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
