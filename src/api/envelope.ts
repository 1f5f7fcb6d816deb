// The contract's envelopes (§3): success, paginated, error. Every response is JSON.
import type { ApiError } from './errors.ts';

export interface SuccessBody<T> {
  status: 'success';
  request_id: string;
  message: string;
  timestamp: string;
  data: T;
}

export function successBody<T>(requestId: string, message: string, data: T, now: Date): SuccessBody<T> {
  return { status: 'success', request_id: requestId, message, timestamp: now.toISOString(), data };
}

export function paginatedBody<T>(requestId: string, message: string, data: T, page: { total: number; limit: number; offset: number }, now: Date) {
  return { ...successBody(requestId, message, data, now), total: page.total, limit: page.limit, offset: page.offset };
}

export function errorBody(requestId: string, err: ApiError, providerErrors?: unknown[]) {
  return {
    status: 'error' as const,
    request_id: requestId,
    error: {
      code: err.spec.code,
      type: err.spec.type,
      message: err.message,
      retryable: err.spec.retryable,
      ...(err.details ? { details: err.details } : {}),
      ...(providerErrors ? { provider_errors: providerErrors } : {}),
    },
  };
}
