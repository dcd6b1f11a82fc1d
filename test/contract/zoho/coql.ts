/**
 * The subset of COQL (Zoho's CRM Object Query Language) the contract server understands:
 *   SELECT col[, col…] FROM Module [WHERE cond] [ORDER BY col [ASC|DESC][, …]] [LIMIT n [OFFSET m] | LIMIT m, n]
 * with conditions `=`, `!=`, `<`, `>`, `<=`, `>=`, `in (…)`, `not in (…)`, `is [not] null`, `like`, joined
 * by `and`/`or` and parentheses. A lookup column compares by the linked record's id (`Contact = '…'`
 * or `Contact.id = '…'`). `in` takes at most 50 values and LIMIT at most 2,000, as Zoho documents:
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html
 */

export class CoqlError extends Error {
	constructor(readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
		super(message);
	}
}

type Token = { kind: 'ident' | 'number' | 'string' | 'punct'; value: string };

function tokenize(query: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < query.length) {
		const c = query[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === "'") {
			let value = '';
			i++;
			while (i < query.length && query[i] !== "'") {
				if (query[i] === '\\' && i + 1 < query.length) i++;
				value += query[i++];
			}
			if (query[i] !== "'") throw new CoqlError('SYNTAX_ERROR', 'unterminated string literal', { near: value.slice(0, 20) });
			i++;
			tokens.push({ kind: 'string', value });
		} else if (/[0-9-]/.test(c) && /[0-9]/.test(query[i + 1] ?? c)) {
			const m = /^-?\d+(\.\d+)?/.exec(query.slice(i))!;
			tokens.push({ kind: 'number', value: m[0] });
			i += m[0].length;
		} else if (/[A-Za-z_$]/.test(c)) {
			const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(query.slice(i))!;
			tokens.push({ kind: 'ident', value: m[0] });
			i += m[0].length;
		} else if (['!=', '>=', '<='].includes(query.slice(i, i + 2))) {
			tokens.push({ kind: 'punct', value: query.slice(i, i + 2) });
			i += 2;
		} else if ('(),.=<>*'.includes(c)) {
			tokens.push({ kind: 'punct', value: c });
			i++;
		} else {
			throw new CoqlError('SYNTAX_ERROR', `unexpected character "${c}"`, { near: query.slice(i, i + 20) });
		}
	}
	return tokens;
}

export type Condition =
	| { op: 'and' | 'or'; left: Condition; right: Condition }
	| { op: 'cmp'; column: string; operator: string; value: unknown }
	| { op: 'in'; column: string; values: unknown[]; negate: boolean }
	| { op: 'null'; column: string; negate: boolean }
	| { op: 'like'; column: string; pattern: string; negate: boolean };

export interface CoqlQuery {
	columns: string[];
	module: string;
	where: Condition | null;
	orderBy: Array<{ column: string; desc: boolean }>;
	limit: number;
	offset: number;
}

export function parseCoql(query: string): CoqlQuery {
	const tokens = tokenize(query);
	let pos = 0;
	const peek = () => tokens[pos];
	const isKeyword = (word: string) => peek()?.kind === 'ident' && peek().value.toLowerCase() === word;
	const expectKeyword = (word: string) => {
		if (!isKeyword(word)) throw new CoqlError('SYNTAX_ERROR', `expected "${word}"`, { near: peek()?.value ?? 'end of query' });
		pos++;
	};
	const expectPunct = (p: string) => {
		if (peek()?.value !== p) throw new CoqlError('SYNTAX_ERROR', `expected "${p}"`, { near: peek()?.value ?? 'end of query' });
		pos++;
	};
	const column = (): string => {
		const t = peek();
		if (t?.kind !== 'ident') throw new CoqlError('SYNTAX_ERROR', 'expected a field API name', { near: t?.value ?? 'end of query' });
		pos++;
		let name = t.value;
		if (peek()?.value === '.') {
			pos++;
			const sub = peek();
			if (sub?.kind !== 'ident') throw new CoqlError('SYNTAX_ERROR', 'expected a field after "."', { near: sub?.value ?? 'end of query' });
			pos++;
			name += `.${sub.value}`;
		}
		return name;
	};
	const literal = (): unknown => {
		const t = peek();
		pos++;
		if (t?.kind === 'string') return t.value;
		if (t?.kind === 'number') return Number(t.value);
		if (t?.kind === 'ident' && ['true', 'false'].includes(t.value.toLowerCase())) return t.value.toLowerCase() === 'true';
		if (t?.kind === 'ident' && t.value.toLowerCase() === 'null') return null;
		throw new CoqlError('SYNTAX_ERROR', 'expected a value', { near: t?.value ?? 'end of query' });
	};
	const term = (): Condition => {
		if (peek()?.value === '(') {
			pos++;
			const inner = condition();
			expectPunct(')');
			return inner;
		}
		const col = column();
		if (isKeyword('is')) {
			pos++;
			const negate = isKeyword('not');
			if (negate) pos++;
			expectKeyword('null');
			return { op: 'null', column: col, negate };
		}
		let negate = false;
		if (isKeyword('not')) {
			pos++;
			negate = true;
		}
		if (isKeyword('in')) {
			pos++;
			expectPunct('(');
			const values = [literal()];
			while (peek()?.value === ',') {
				pos++;
				values.push(literal());
			}
			expectPunct(')');
			if (values.length > 50) throw new CoqlError('LIMIT_EXCEEDED', 'the in operator takes at most 50 values', { column_name: col, limit: 50 });
			return { op: 'in', column: col, values, negate };
		}
		if (isKeyword('like')) {
			pos++;
			const pattern = literal();
			if (typeof pattern !== 'string') throw new CoqlError('SYNTAX_ERROR', 'like needs a string pattern', { near: String(pattern) });
			return { op: 'like', column: col, pattern, negate };
		}
		if (negate) throw new CoqlError('SYNTAX_ERROR', 'expected "in" or "like" after "not"', { near: peek()?.value ?? 'end of query' });
		const operator = peek();
		if (operator?.kind !== 'punct' || !['=', '!=', '<', '>', '<=', '>='].includes(operator.value)) {
			throw new CoqlError('SYNTAX_ERROR', 'expected a comparison operator', { near: operator?.value ?? 'end of query' });
		}
		pos++;
		return { op: 'cmp', column: col, operator: operator.value, value: literal() };
	};
	const conjunction = (): Condition => {
		let left = term();
		while (isKeyword('and')) {
			pos++;
			left = { op: 'and', left, right: term() };
		}
		return left;
	};
	const condition = (): Condition => {
		let left = conjunction();
		while (isKeyword('or')) {
			pos++;
			left = { op: 'or', left, right: conjunction() };
		}
		return left;
	};

	expectKeyword('select');
	const columns = [column()];
	while (peek()?.value === ',') {
		pos++;
		columns.push(column());
	}
	expectKeyword('from');
	const moduleToken = peek();
	if (moduleToken?.kind !== 'ident') throw new CoqlError('SYNTAX_ERROR', 'expected a module API name', { near: moduleToken?.value ?? 'end of query' });
	pos++;
	const where = isKeyword('where') ? (pos++, condition()) : null;
	const orderBy: Array<{ column: string; desc: boolean }> = [];
	if (isKeyword('order')) {
		pos++;
		expectKeyword('by');
		do {
			if (peek()?.value === ',') pos++;
			const col = column();
			let desc = false;
			if (isKeyword('asc')) pos++;
			else if (isKeyword('desc')) {
				pos++;
				desc = true;
			}
			orderBy.push({ column: col, desc });
		} while (peek()?.value === ',');
	}
	let limit = 200;
	let offset = 0;
	if (isKeyword('limit')) {
		pos++;
		const first = Number(literal());
		if (peek()?.value === ',') {
			pos++;
			offset = first;
			limit = Number(literal());
		} else {
			limit = first;
			if (isKeyword('offset')) {
				pos++;
				offset = Number(literal());
			}
		}
	}
	if (pos !== tokens.length) throw new CoqlError('SYNTAX_ERROR', 'unexpected text after the query', { near: peek().value });
	if (!Number.isInteger(limit) || limit < 1 || limit > 2000) throw new CoqlError('INVALID_QUERY', 'LIMIT must be between 1 and 2000', { limit: String(limit) });
	return { columns, module: moduleToken.value, where, orderBy, limit, offset };
}

/** A record's value for a column; lookups compare by id. */
export function columnValue(record: Record<string, unknown>, column: string): unknown {
	const [field, sub] = column.split('.');
	const value = record[field];
	if (value && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[sub ?? 'id'];
	return sub ? undefined : value;
}

function comparable(value: unknown): unknown {
	return typeof value === 'string' ? value.toLowerCase() : value;
}

export function matches(record: Record<string, unknown>, condition: Condition | null): boolean {
	if (!condition) return true;
	switch (condition.op) {
		case 'and':
			return matches(record, condition.left) && matches(record, condition.right);
		case 'or':
			return matches(record, condition.left) || matches(record, condition.right);
		case 'null': {
			const v = columnValue(record, condition.column);
			const isNull = v === undefined || v === null || v === '';
			return condition.negate ? !isNull : isNull;
		}
		case 'in': {
			const v = comparable(columnValue(record, condition.column));
			const hit = condition.values.some((candidate) => comparable(candidate) === v || String(comparable(candidate)) === String(v));
			return condition.negate ? !hit : hit;
		}
		case 'like': {
			const v = columnValue(record, condition.column);
			const re = new RegExp(`^${condition.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i');
			const hit = typeof v === 'string' && re.test(v);
			return condition.negate ? !hit : hit;
		}
		case 'cmp': {
			const left = comparable(columnValue(record, condition.column));
			const right = comparable(condition.value);
			const l = typeof left === 'string' && typeof right === 'number' ? Number(left) : left;
			switch (condition.operator) {
				case '=':
					return l === right || String(l) === String(right);
				case '!=':
					return !(l === right || String(l) === String(right));
				case '<':
					return (l as number) < (right as number);
				case '>':
					return (l as number) > (right as number);
				case '<=':
					return (l as number) <= (right as number);
				case '>=':
					return (l as number) >= (right as number);
			}
			return false;
		}
	}
}
