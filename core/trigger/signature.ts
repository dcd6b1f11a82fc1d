/**
 * Webhook signatures: HMAC of the raw request body, compared in constant time.
 * Shopify: base64 HMAC-SHA256 in X-Shopify-Hmac-Sha256 (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries).
 * WooCommerce: base64 HMAC-SHA256 in X-WC-Webhook-Signature (WC_Webhook::generate_signature).
 * Custom: the operator's header, algorithm, encoding and optional prefix (e.g. GitHub-style `sha256=<hex>`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha256' | 'sha1' | 'sha512';
export type SignatureEncoding = 'base64' | 'hex';

export interface HmacScheme {
	algorithm: HmacAlgorithm;
	encoding: SignatureEncoding;
	/** Text before the digest in the header, e.g. `sha256=`; compared case-insensitively. */
	prefix: string;
}

export const SHOPIFY_SCHEME: HmacScheme = { algorithm: 'sha256', encoding: 'base64', prefix: '' };
export const WOOCOMMERCE_SCHEME: HmacScheme = { algorithm: 'sha256', encoding: 'base64', prefix: '' };

export function computeSignature(rawBody: Buffer | string, secret: string, scheme: HmacScheme): string {
	const digest = createHmac(scheme.algorithm, secret).update(rawBody).digest(scheme.encoding);
	return scheme.prefix + digest;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: 'missing' | 'malformed' | 'mismatch' };

/**
 * Checks a signature header against the raw body. The digest is compared as bytes with
 * `timingSafeEqual`, so the time taken does not reveal how much of a forged signature was right.
 */
export function verifySignature(rawBody: Buffer, secret: string, header: string | undefined, scheme: HmacScheme): SignatureCheck {
	if (header === undefined || header.trim() === '') return { valid: false, reason: 'missing' };
	let text = header.trim();
	if (scheme.prefix) {
		if (text.slice(0, scheme.prefix.length).toLowerCase() !== scheme.prefix.toLowerCase()) return { valid: false, reason: 'malformed' };
		text = text.slice(scheme.prefix.length);
	}
	const received = decodeDigest(text, scheme.encoding);
	if (!received) return { valid: false, reason: 'malformed' };
	const expected = createHmac(scheme.algorithm, secret).update(rawBody).digest();
	if (received.length !== expected.length) return { valid: false, reason: 'mismatch' };
	return timingSafeEqual(received, expected) ? { valid: true } : { valid: false, reason: 'mismatch' };
}

function decodeDigest(text: string, encoding: SignatureEncoding): Buffer | null {
	if (encoding === 'hex') return /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : null;
	// Accept base64url too; strict about other characters so garbage is "malformed", not a mismatch.
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
	return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * Constant-time comparison of two secrets given as text (URL tokens). Both sides are hashed first,
 * so the comparison runs on equal-length buffers whatever the lengths of the inputs.
 */
export function secretsEqual(received: string | undefined, expected: string): boolean {
	if (received === undefined || expected === '') return false;
	const a = createHash('sha256').update(received).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** Hex SHA-256, for content-hash delivery ids. */
export function sha256Hex(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}
