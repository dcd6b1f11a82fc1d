/**
 * Quintile scores on UCI Online Retail must equal pandas.qcut(q=5) with linear-interpolation edges.
 * No pandas here: the expected edges are computed in this test from the definition (sort, h = (n−1)p,
 * interpolate), independently of core/rfm, and every customer's score is checked.
 *
 * Data preparation, as in the usual notebooks: rows of cancellation invoices (InvoiceNo starting
 * with "C") and rows without a CustomerID are dropped; each invoice is one order whose amount is
 * Σ Quantity × UnitPrice and whose time is its earliest row; the reference date is 2011-12-10, the
 * day after the last invoice. Recency is whole calendar days (UTC) from the last invoice's day.
 */
import type { IDataObject } from 'n8n-workflow';

import { RfmScorer } from '../../../nodes/RfmScorer/RfmScorer.node';
import { jsonOf, runNode } from '../../helpers/nodeHarness';
import { readOnlineRetail } from './datasets';

const DAY = 86_400_000;
const dayNumber = (timestamp: string) => Math.floor(Date.UTC(+timestamp.slice(0, 4), +timestamp.slice(5, 7) - 1, +timestamp.slice(8, 10)) / DAY);

function definitionEdges(values: number[]): number[] {
	const sorted = [...values].sort((p, q) => p - q);
	return [0.2, 0.4, 0.6, 0.8].map((p) => {
		const h = (sorted.length - 1) * p;
		const lo = Math.floor(h);
		return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
	});
}

/** pandas.cut with right-closed bins: label k+1 for (e_k, e_k+1], the lowest bin including its edge. */
const qcutLabel = (value: number, edges: number[]) => 1 + edges.filter((edge) => value > edge).length;

describe('quintile scores on UCI Online Retail', () => {
	jest.setTimeout(120_000);

	const rows = readOnlineRetail().filter((row) => !row.invoiceNo.startsWith('C') && row.customerId.trim() !== '');
	const invoices = new Map<string, { customerId: string; at: string; total: number }>();
	for (const row of rows) {
		const invoice = invoices.get(row.invoiceNo);
		if (!invoice) invoices.set(row.invoiceNo, { customerId: row.customerId, at: row.invoiceDate, total: row.quantity * row.unitPrice });
		else {
			invoice.total += row.quantity * row.unitPrice;
			if (row.invoiceDate < invoice.at) invoice.at = row.invoiceDate;
		}
	}
	const orders = [...invoices.entries()].map(([invoiceNo, invoice]) => ({
		id: invoiceNo,
		createdAt: invoice.at,
		total: Math.round(invoice.total * 100) / 100,
		customer: { id: invoice.customerId },
	}));

	// The expected values, per customer, from the orders above.
	const referenceDay = dayNumber('2011-12-10');
	const expected = new Map<string, { lastDay: number; monetary: number; orders: number }>();
	for (const order of orders) {
		const entry = expected.get(order.customer.id) ?? { lastDay: -Infinity, monetary: 0, orders: 0 };
		entry.lastDay = Math.max(entry.lastDay, dayNumber(order.createdAt));
		entry.monetary += order.total;
		entry.orders++;
		expected.set(order.customer.id, entry);
	}
	const customers = [...expected.entries()].map(([id, e]) => ({ id, recency: referenceDay - e.lastDay, monetary: Math.round(e.monetary * 100) / 100, orders: e.orders }));
	const recencyEdges = definitionEdges(customers.map((c) => c.recency));
	const monetaryEdges = definitionEdges(customers.map((c) => c.monetary));
	const frequencyEdges = definitionEdges(customers.map((c) => c.orders));

	let output: IDataObject[] = [];
	let summary: IDataObject = {};
	beforeAll(async () => {
		const result = await runNode(new RfmScorer(), {
			parameters: {
				inputShape: 'orders',
				customerKeyField: 'customer.id',
				fallbackCustomerKeyField: '',
				referenceDate: 'fixed',
				fixedReferenceDate: '2011-12-10T00:00:00',
				options: { timezone: 'UTC', countZeroValueOrders: true },
			},
			items: orders,
		});
		output = jsonOf(result.outputs[0]);
		summary = jsonOf(result.outputs[1])[0];
		expect(jsonOf(result.outputs[2])).toEqual([]);
	});

	it('reads the 4,339 customers and 18,536 invoices of the cleaned data', () => {
		expect(customers).toHaveLength(4339);
		expect(orders).toHaveLength(18536);
		expect(output).toHaveLength(4339);
		expect(summary.ordersCounted).toBe(18536);
	});

	it('uses the edges of the definition', () => {
		const scoring = summary.scoring as { recencyEdges: number[]; monetaryEdges: number[]; frequencyEdges: number[] };
		scoring.recencyEdges.forEach((edge, k) => expect(edge).toBeCloseTo(recencyEdges[k], 9));
		scoring.monetaryEdges.forEach((edge, k) => expect(edge).toBeCloseTo(monetaryEdges[k], 6));
		scoring.frequencyEdges.forEach((edge, k) => expect(edge).toBeCloseTo(frequencyEdges[k], 9));
		// Distinct edges, so pandas.qcut(q=5) would not drop any bin for recency and monetary.
		expect(new Set(recencyEdges).size).toBe(4);
		expect(new Set(monetaryEdges).size).toBe(4);
	});

	it('gives every customer the qcut recency and monetary scores (recency labels reversed)', () => {
		const byKey = new Map(output.map((row) => [row.customerKey as string, row]));
		let mismatches = 0;
		for (const customer of customers) {
			const row = byKey.get(customer.id);
			expect(row).toBeDefined();
			if (!row) continue;
			const ok =
				row.recencyDays === customer.recency &&
				row.monetary === customer.monetary &&
				row.frequency === customer.orders &&
				row.rScore === 6 - qcutLabel(customer.recency, recencyEdges) &&
				row.mScore === qcutLabel(customer.monetary, monetaryEdges) &&
				row.fScore === qcutLabel(customer.orders, frequencyEdges);
			if (!ok) mismatches++;
		}
		expect(mismatches).toBe(0);
	});

	it('puts a fifth of the customers in each recency and monetary score, up to ties', () => {
		for (const field of ['rScore', 'mScore']) {
			const counts = [1, 2, 3, 4, 5].map((score) => output.filter((row) => row[field] === score).length);
			for (const count of counts) expect(Math.abs(count - 4339 / 5)).toBeLessThan(4339 * 0.03);
		}
	});
});
