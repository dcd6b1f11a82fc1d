import { createHmac } from 'node:crypto';

import { SHOPIFY_SCHEME, computeSignature, secretsEqual, verifySignature } from '../../../core/trigger/signature';

const body = Buffer.from('{"id":820982911946154508,"email":"jon@example.com"}');
const secret = 'hush';

describe('verifySignature', () => {
	it('accepts the base64 HMAC-SHA256 Shopify and WooCommerce send, computed independently here', () => {
		const reference = createHmac('sha256', secret).update(body).digest('base64');
		expect(computeSignature(body, secret, SHOPIFY_SCHEME)).toBe(reference);
		expect(verifySignature(body, secret, reference, SHOPIFY_SCHEME)).toEqual({ valid: true });
	});

	it('rejects a signature made with another secret, and one for another body', () => {
		const forged = createHmac('sha256', 'guess').update(body).digest('base64');
		expect(verifySignature(body, secret, forged, SHOPIFY_SCHEME)).toEqual({ valid: false, reason: 'mismatch' });
		const otherBody = createHmac('sha256', secret).update(Buffer.from('{"id":1}')).digest('base64');
		expect(verifySignature(body, secret, otherBody, SHOPIFY_SCHEME)).toEqual({ valid: false, reason: 'mismatch' });
	});

	it('verifies the raw bytes: re-serialised JSON with the same meaning does not verify', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
		const signature = computeSignature(body, secret, SHOPIFY_SCHEME);
		expect(verifySignature(reserialised, secret, signature, SHOPIFY_SCHEME).valid).toBe(false);
	});

	it('tells a missing header from a malformed one and from a wrong length', () => {
		expect(verifySignature(body, secret, undefined, SHOPIFY_SCHEME)).toEqual({ valid: false, reason: 'missing' });
		expect(verifySignature(body, secret, '  ', SHOPIFY_SCHEME)).toEqual({ valid: false, reason: 'missing' });
		expect(verifySignature(body, secret, 'not base64!', SHOPIFY_SCHEME)).toEqual({ valid: false, reason: 'malformed' });
		expect(verifySignature(body, secret, 'c2hvcnQ=', SHOPIFY_SCHEME)).toEqual({ valid: false, reason: 'mismatch' });
	});

	it.each([
		['sha1', 'hex', 'sha1='],
		['sha256', 'hex', 'sha256='],
		['sha512', 'base64', ''],
		['sha256', 'base64', 'v1,'],
	] as const)('custom scheme %s/%s with prefix "%s"', (algorithm, encoding, prefix) => {
		const scheme = { algorithm, encoding, prefix };
		const digest = createHmac(algorithm, secret).update(body).digest(encoding);
		expect(verifySignature(body, secret, prefix + digest, scheme)).toEqual({ valid: true });
		// The prefix is compared case-insensitively (GitHub-style "SHA256=" variants exist).
		expect(verifySignature(body, secret, prefix.toUpperCase() + digest, scheme)).toEqual({ valid: true });
		if (prefix) expect(verifySignature(body, secret, digest, scheme)).toEqual({ valid: false, reason: 'malformed' });
		if (encoding === 'hex') expect(verifySignature(body, secret, prefix + digest.toUpperCase(), scheme)).toEqual({ valid: true });
	});
});

describe('secretsEqual', () => {
	it('compares tokens of any length without throwing', () => {
		expect(secretsEqual('abc', 'abc')).toBe(true);
		expect(secretsEqual('abc', 'abcd')).toBe(false);
		expect(secretsEqual('', 'abc')).toBe(false);
		expect(secretsEqual(undefined, 'abc')).toBe(false);
		expect(secretsEqual('abc', '')).toBe(false);
	});
});
