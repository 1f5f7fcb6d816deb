// The error catalogue: one stable BSE code per meaning, never reused. Each has its HTTP status,
// a machine `type`, a public message and whether a client may retry it unchanged.

export interface ErrorSpec {
  code: string;
  status: number;
  type: string;
  message: string;
  retryable: boolean;
}

const spec = (code: string, status: number, type: string, message: string, retryable = false): ErrorSpec => ({
  code, status, type, message, retryable,
});

export const ERRORS = {
  missing_api_key: spec('BSE1001', 401, 'missing_api_key', 'Send your API key as "Authorization: Bearer <key>".'),
  invalid_api_key: spec('BSE1002', 401, 'invalid_api_key', 'The API key is not valid.'),
  api_key_revoked: spec('BSE1003', 401, 'api_key_revoked', 'The API key has been revoked.'),
  insufficient_credits: spec('BSE1004', 402, 'insufficient_credits', 'Not enough credits for this request.'),
  api_key_expired: spec('BSE1005', 401, 'api_key_expired', 'The API key has expired.'),
  insufficient_scope: spec('BSE1006', 403, 'insufficient_scope', 'The API key lacks the scope this endpoint requires.'),
  receivable_outstanding: spec('BSE1007', 402, 'receivable_outstanding', 'A refunded or disputed payment left a balance owed; top up to settle it before generating.'),
  rate_limited: spec('BSE1029', 429, 'rate_limited', 'Too many requests; retry after the time in Retry-After.', true),

  invalid_json: spec('BSE2001', 400, 'invalid_json', 'The request body is not valid JSON.'),
  unsupported_media_type: spec('BSE2002', 415, 'unsupported_media_type', 'Send the body as application/json.'),
  validation_error: spec('BSE2003', 422, 'validation_error', 'The request has invalid fields.'),
  model_not_found: spec('BSE2004', 404, 'model_not_found', 'No such model.'),
  model_type_mismatch: spec('BSE2005', 400, 'model_type_mismatch', 'The model does not match the route.'),
  generation_not_found: spec('BSE2006', 404, 'generation_not_found', 'No such generation.'),
  route_not_found: spec('BSE2007', 404, 'route_not_found', 'No such endpoint.'),
  method_not_allowed: spec('BSE2008', 405, 'method_not_allowed', 'This endpoint does not accept that method.'),
  payload_too_large: spec('BSE2009', 413, 'payload_too_large', 'The request body is too large.'),
  generation_not_cancelable: spec('BSE2010', 409, 'generation_not_cancelable', 'Only pending or processing generations can be canceled.'),
  invalid_idempotency_key: spec('BSE2011', 400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-255 characters from A-Z a-z 0-9 _ - : .'),
  invalid_query: spec('BSE2012', 400, 'invalid_query', 'The query string has invalid parameters.'),
  price_unavailable: spec('BSE2013', 422, 'price_unavailable', 'No price is defined for this combination of options.'),
  idempotency_mismatch: spec('BSE2015', 409, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request.'),
  idempotency_in_flight: spec('BSE2016', 409, 'idempotency_in_flight', 'The original request with this Idempotency-Key is still in progress.', true),
  webhook_signature_invalid: spec('BSE2017', 400, 'webhook_signature_invalid', 'The webhook signature does not verify; nothing was recorded.'),
  credit_pack_not_found: spec('BSE2018', 404, 'credit_pack_not_found', 'No such credit pack.'),

  // Generation failures (generation_error_code), and the per-provider error classes.
  all_providers_failed: spec('BSE3001', 502, 'all_providers_failed', 'Every provider in the order failed.'),
  content_moderated: spec('BSE3002', 422, 'content_moderated', 'The request was rejected by content moderation.'),
  provider_rejected_request: spec('BSE3003', 422, 'provider_rejected_request', 'The provider rejected the request.'),
  deadline_exceeded: spec('BSE3004', 504, 'deadline_exceeded', 'The generation did not finish before its deadline.'),
  provider_rate_limited: spec('BSE3101', 429, 'rate_limited', 'The provider rate-limited the request.', true),
  provider_unavailable: spec('BSE3102', 503, 'provider_unavailable', 'The provider was unavailable.', true),
  provider_timeout: spec('BSE3103', 504, 'timeout', 'The provider did not answer in time.', true),
  provider_malformed_response: spec('BSE3104', 502, 'malformed_response', 'The provider answered with an unexpected body.', true),
  provider_out_of_credit: spec('BSE3105', 502, 'out_of_credit', 'The provider account is out of credit.'),
  provider_auth: spec('BSE3106', 502, 'auth', 'The provider refused our credentials.'),
  provider_bad_request: spec('BSE3107', 422, 'bad_request', 'The provider rejected the request as invalid.'),
  provider_moderation: spec('BSE3108', 422, 'moderation', 'The provider rejected the content.'),
  provider_not_found: spec('BSE3109', 502, 'not_found', 'The provider does not know this model or job.'),
  provider_unknown: spec('BSE3199', 502, 'unknown', 'The provider failed for an unknown reason.'),

  internal_error: spec('BSE5000', 500, 'internal_error', 'An internal error occurred.'),
  service_unavailable: spec('BSE5003', 503, 'service_unavailable', 'The service is temporarily unavailable; nothing was changed.', true),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly spec: ErrorSpec;
  readonly details?: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(name: ErrorName, options: { message?: string; details?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    const s = ERRORS[name];
    super(options.message ?? s.message);
    this.name = 'ApiError';
    this.spec = s;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}
