/**
 * Synthetic canonical orders for the RFM Scorer benchmark: customers buy by the BG/NBD process
 * (purchase rate λ ~ Gamma(r, α), drop-out after each repeat purchase with p ~ Beta(a, b)), so the
 * predictive fit has something real to find. Deterministic (seeded), exact order count.
 */
import { seededRandom } from '../test/helpers/random';

export interface BenchOrder {
	id: string;
	number: string;
	source: 'shopify';
	createdAt: string;
	updatedAt: string;
	status: string;
	financialStatus: string;
	currency: string;
	total: number;
	subtotal: number;
	tax: number;
	discount: number;
	shipping: number;
	refundedTotal: number;
	customer: { id: string; email: string; firstName: string; lastName: string; ordersCount: null; totalSpent: null; tags: string[] };
	lineItems: never[];
	coupons: never[];
	utm: { source: string | null; medium: string | null; campaign: string | null; term: null; content: null };
}

export const BENCH_REFERENCE = '2024-06-30T23:59:59Z';
export const TRUE_PARAMS = { r: 1.5, alpha: 60, a: 1.2, b: 5 };
const DAY = 86_400_000;

function gamma(rand: () => number, shape: number): number {
	// Marsaglia-Tsang; boosted for shape < 1.
	if (shape < 1) return gamma(rand, shape + 1) * Math.pow(rand(), 1 / shape);
	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let x: number;
		let v: number;
		do {
			const u1 = rand();
			const u2 = rand();
			x = Math.sqrt(-2 * Math.log(u1 || 1e-300)) * Math.cos(2 * Math.PI * u2);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		const u = rand();
		if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
	}
}

/** Purchase days (since the window start) per customer, trimmed to exactly `orders` in total. */
function simulate(orders: number, customers: number, windowDays: number, seed: number): number[][] {
	const rand = seededRandom(seed);
	const { r, alpha, a, b } = TRUE_PARAMS;
	const histories: number[][] = [];
	let total = 0;
	for (let c = 0; c < customers; c++) {
		const first = rand() * windowDays;
		const lambda = gamma(rand, r) / alpha;
		const ga = gamma(rand, a);
		const p = ga / (ga + gamma(rand, b));
		const days = [first];
		let t = first;
		for (;;) {
			t += -Math.log(1 - rand()) / lambda;
			if (t >= windowDays) break;
			days.push(t);
			if (rand() < p) break;
		}
		histories.push(days);
		total += days.length;
	}
	// Exact count: trim the latest repeat purchases round-robin, or add repeat purchases at random times.
	let c = 0;
	while (total > orders) {
		if (histories[c].length > 1) {
			histories[c].pop();
			total--;
		}
		c = (c + 1) % customers;
	}
	while (total < orders) {
		const h = histories[Math.floor(rand() * customers)];
		const last = h[h.length - 1];
		h.push(last + rand() * (windowDays - last));
		total++;
	}
	return histories;
}

/**
 * `orders` canonical orders from `customers` customers over two years before BENCH_REFERENCE.
 * About 2 % are cancelled, 3 % partially refunded, and 0.5 % of the items are a later copy of an
 * earlier order (an order.updated event) that the scorer must deduplicate.
 */
export function generateOrders(orders: number, customers: number, seed = 42): BenchOrder[] {
	const windowDays = 730;
	const start = Date.parse(BENCH_REFERENCE) - windowDays * DAY;
	const histories = simulate(orders, customers, windowDays, seed);
	const rand = seededRandom(seed + 1);
	const out: BenchOrder[] = [];
	let sequence = 1_000_000;
	for (let c = 0; c < histories.length; c++) {
		const email = `customer${c}@example${c % 97}.com`;
		const customer = { id: `gid://shopify/Customer/${7_000_000 + c}`, email, firstName: 'Sam', lastName: `Buyer${c}`, ordersCount: null, totalSpent: null, tags: [] as string[] };
		const basket = 20 + gamma(rand, 2) * 30;
		for (const day of histories[c]) {
			const at = new Date(start + day * DAY).toISOString();
			const total = Math.round(basket * (0.5 + rand()) * 100) / 100;
			const roll = rand();
			const id = String(sequence++);
			out.push({
				id: `gid://shopify/Order/${id}`,
				number: `#${id}`,
				source: 'shopify',
				createdAt: at,
				updatedAt: at,
				status: roll < 0.02 ? 'cancelled' : 'paid',
				financialStatus: roll < 0.02 ? 'voided' : 'paid',
				currency: 'EUR',
				total,
				subtotal: Math.round(total * 0.84 * 100) / 100,
				tax: Math.round(total * 0.16 * 100) / 100,
				discount: 0,
				shipping: 0,
				refundedTotal: roll > 0.97 ? Math.round(total * 20) / 100 : 0,
				customer,
				lineItems: [],
				coupons: [],
				utm: { source: rand() < 0.3 ? 'newsletter' : null, medium: null, campaign: null, term: null, content: null },
			});
		}
	}
	// Replace 0.5 % of the items with a copy of the customer's previous order (same id): duplicates.
	for (let i = 1; i < out.length; i++) {
		if (rand() < 0.005 && out[i - 1].customer === out[i].customer) out[i] = { ...out[i - 1], updatedAt: out[i].createdAt };
	}
	return out;
}
