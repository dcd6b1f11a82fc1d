/**
 * The same text as one flat string. Template literals build a rope (a tree of the parts) that V8
 * flattens only when the text is read; text kept on every output item is cheaper flat: a third of
 * the memory, and the parts die young instead of being copied by each garbage collection (measured on
 * 200,000 routed customers). Reading one character is what makes V8 flatten it, in place.
 */
export function flatText(text: string): string {
	text.charCodeAt(0);
	return text;
}
