import { NodeApiError, type INode } from 'n8n-workflow';

import { outcomeFromError } from '../../../core/http/outcome';
import { isRetryableNetworkError } from '../../../core/http/retry';

const node: INode = { id: '1', name: 'Zoho CRM', type: 'n8n-nodes-commerce-retention.zohoCrmUpsert', typeVersion: 1, position: [0, 0], parameters: {} };

/** An error as the HTTP library throws it for a status: the status and body in `response`. */
function statusError(status: number, body: unknown, headers: Record<string, string> = {}): Error {
	return Object.assign(new Error(`Request failed with status code ${status}`), { httpCode: String(status), response: { status, headers, data: body } });
}

function socketError(code: string, message = 'socket hang up'): Error {
	return Object.assign(new Error(message), { code });
}

describe('outcomeFromError', () => {
	it('reads the status, body and headers of the HTTP library error', () => {
		expect(outcomeFromError(statusError(429, { code: 'TOO_MANY_REQUESTS' }, { 'retry-after': '2' }))).toEqual({
			kind: 'response',
			status: 429,
			body: { code: 'TOO_MANY_REQUESTS' },
			headers: { 'retry-after': '2' },
		});
	});

	it('finds them behind a NodeApiError that keeps its cause (n8n-workflow 2.x)', () => {
		const wrapped = new NodeApiError(node, statusError(503, '{"status":"error"}') as never);
		expect(outcomeFromError(wrapped)).toEqual({ kind: 'response', status: 503, body: { status: 'error' }, headers: {} });
	});

	// What n8n 1.123.81 (n8n-workflow 1.120.31) throws from httpRequestWithAuthentication, observed by
	// wrapping a real axios 429 and a real reset socket in its NodeApiError: no `cause`, no `response`;
	// the status or the socket's code in `httpCode`, the response body in `context.data`.
	it('reads httpCode and context.data when n8n kept nothing else (n8n 1.x)', () => {
		const rateLimited = { name: 'NodeApiError', message: 'The service is receiving too many requests from you', httpCode: '429', context: { data: { code: 'TOO_MANY_REQUESTS' } } };
		expect(outcomeFromError(rateLimited)).toEqual({ kind: 'response', status: 429, body: { code: 'TOO_MANY_REQUESTS' }, headers: {} });
		const failed = { name: 'NodeApiError', message: 'The service was not able to process your request', httpCode: '500', context: {} };
		expect(outcomeFromError(failed)).toEqual({ kind: 'response', status: 500, body: null, headers: {} });
	});

	it('reports a dropped connection as a network outcome, however it is wrapped', () => {
		const reset = { name: 'NodeApiError', message: 'The connection to the server was closed unexpectedly, perhaps it is offline.', httpCode: 'ECONNRESET', context: {} };
		expect(outcomeFromError(reset)).toMatchObject({ kind: 'network', code: 'ECONNRESET' });
		expect(outcomeFromError(new NodeApiError(node, socketError('ECONNRESET') as never))).toMatchObject({ kind: 'network', code: 'ECONNRESET' });
		expect(outcomeFromError(socketError('ETIMEDOUT', 'connect ETIMEDOUT'))).toMatchObject({ kind: 'network', code: 'ETIMEDOUT' });
		expect(outcomeFromError(new Error('fetch failed'))).toMatchObject({ kind: 'network', code: 'ECONNRESET' });
	});

	it('returns null for failures that are not HTTP ones, so the caller rethrows them', () => {
		expect(outcomeFromError(new Error('OAuth credentials not connected'))).toBeNull();
		expect(outcomeFromError({ httpCode: 'not-a-code', message: 'odd' })).toBeNull();
		expect(outcomeFromError('plain text')).toBeNull();
		expect(outcomeFromError(null)).toBeNull();
	});

	it('stops on a cause cycle', () => {
		const a: { message: string; cause?: unknown } = { message: 'a' };
		const b = { message: 'b', cause: a };
		a.cause = b;
		expect(outcomeFromError(a)).toBeNull();
	});
});

describe('isRetryableNetworkError', () => {
	it('sees a transient socket failure through n8n wrappers, and does not retry a host that does not resolve', () => {
		expect(isRetryableNetworkError(socketError('ECONNRESET'))).toBe(true);
		expect(isRetryableNetworkError({ name: 'NodeApiError', message: 'The connection to the server was closed unexpectedly', httpCode: 'ECONNRESET', context: {} })).toBe(true);
		expect(isRetryableNetworkError(new NodeApiError(node, socketError('ETIMEDOUT') as never))).toBe(true);
		expect(isRetryableNetworkError(socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND shop.example'))).toBe(false);
		expect(isRetryableNetworkError(statusError(503, null))).toBe(false);
	});
});
