/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Readers for the reference data sets in /work/shared/datasets (see SOURCES.md there).
 * Test-only code, written independently of core/rfm.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const DATASETS = process.env.RFM_DATASETS ?? '/work/shared/datasets';

/**
 * RFC 4180 CSV: quoted fields may contain commas, doubled quotes ("") and line breaks. Lines without a
 * quote are split directly (the common case, and fast on the 48 MB retail file); a line with quotes is
 * parsed character by character, joined with the next lines while a quoted field is still open.
 */
export function parseCsv(text: string): string[][] {
	const lines = text.split(/\r?\n/);
	if (lines[lines.length - 1] === '') lines.pop();
	const rows: string[][] = [];
	for (let i = 0; i < lines.length; i++) {
		let line = lines[i];
		if (!line.includes('"')) {
			rows.push(line.split(','));
			continue;
		}
		while (countQuotes(line) % 2 === 1 && i + 1 < lines.length) line += '\n' + lines[++i];
		rows.push(parseQuotedLine(line));
	}
	return rows;
}

function countQuotes(line: string): number {
	let count = 0;
	for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) count++;
	return count;
}

function parseQuotedLine(line: string): string[] {
	const fields: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"') {
				if (line[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			fields.push(field);
			field = '';
		} else field += ch;
	}
	fields.push(field);
	return fields;
}

export interface SummaryRow {
	id: string;
	x: number;
	tx: number;
	T: number;
	zbar: number;
}

/** lifetimes' cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar (weeks). */
export function readCdnowSummary(): SummaryRow[] {
	const rows = parseCsv(readFileSync(join(DATASETS, 'lifetimes_cdnow_customers_summary_with_transactions.csv'), 'utf8'));
	return rows.slice(1).map((r) => ({ id: r[0], x: Number(r[1]), tx: Number(r[2]), T: Number(r[3]), zbar: Number(r[4]) }));
}

/** lifetimes' cdnow_customers_summary.csv: ID,frequency,recency,T (weeks). */
export function readCdnowFrequencySummary(): Array<{ id: string; x: number; tx: number; T: number }> {
	const rows = parseCsv(readFileSync(join(DATASETS, 'lifetimes_cdnow_customers_summary.csv'), 'utf8'));
	return rows
		.slice(1)
		.filter((r) => r.length === 4)
		.map((r) => ({ id: r[0], x: Number(r[1]), tx: Number(r[2]), T: Number(r[3]) }));
}

export interface CdnowTransaction {
	masterId: string;
	sampleId: string;
	/** YYYYMMDD */
	date: string;
	cds: number;
	dollars: number;
}

/** CDNOW_sample.txt: whitespace-separated, CRLF, no header: master_id sample_id date n_cds dollar_value. */
export function readCdnowTransactions(): CdnowTransaction[] {
	return readFileSync(join(DATASETS, 'lifetimes_CDNOW_sample.txt'), 'utf8')
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '')
		.map((line) => {
			const [masterId, sampleId, date, cds, dollars] = line.split(/\s+/);
			return { masterId, sampleId, date, cds: Number(cds), dollars: Number(dollars) };
		});
}

export interface RetailRow {
	invoiceNo: string;
	stockCode: string;
	quantity: number;
	/** "YYYY-MM-DD HH:MM:SS" */
	invoiceDate: string;
	unitPrice: number;
	customerId: string;
	country: string;
}

/** UCI Online Retail (online_retail_uci.csv.gz): InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country. */
export function readOnlineRetail(): RetailRow[] {
	const text = gunzipSync(readFileSync(join(DATASETS, 'online_retail_uci.csv.gz'))).toString('utf8');
	const rows = parseCsv(text);
	const header = rows[0];
	if (header.join(',') !== 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country') {
		throw new Error(`unexpected header ${header.join(',')}`);
	}
	return rows
		.slice(1)
		.filter((r) => r.length === 8)
		.map((r) => ({
			invoiceNo: r[0],
			stockCode: r[1],
			quantity: Number(r[3]),
			invoiceDate: r[4],
			unitPrice: Number(r[5]),
			customerId: r[6],
			country: r[7],
		}));
}
