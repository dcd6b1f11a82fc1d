/**
 * The same text as one flat string. Template literals build a rope (a tree of the parts) that V8
 * flattens only when some operation needs the characters in one piece; text kept on every output item
 * is cheaper flat: half the memory or less, and the parts die young instead of being copied by each
 * garbage collection (measured on 200,000 routed customers). A regular expression always runs on a flat
 * subject, so testing one flattens the rope where it lives. (Reading one character was enough on V8 11,
 * Node 20; V8 13, Node 24, reads ropes in place and left 214 bytes where the flat text takes 111.)
 */
export function flatText(text: string): string {
	FLATTENS_ITS_SUBJECT.test(text);
	return text;
}

// Any pattern does; this one stops at the first character of any non-empty text.
const FLATTENS_ITS_SUBJECT = /^$/;
