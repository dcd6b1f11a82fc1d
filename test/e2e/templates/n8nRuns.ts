/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- e2e tooling: runs the n8n CLI, never part of the package */
/**
 * Running the templates in a booted n8n the way an operator would: import copies with the operator's
 * settings, edit a stored workflow (as saving in the editor does), run a workflow from its Manual Trigger
 * (`n8n execute --id`, or the editor's "Execute workflow" through the REST API), wait for the executions
 * n8n stores, and read a node's output from a stored execution.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { N8nRest, cliEnv } from '../../../scripts/n8n/harness';
import type { BootedN8n, StoredExecution } from '../boot';
import { executionsOf } from '../boot';

export interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface Template {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export function readTemplate(file: string): Template {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
}

export function nodeOf(workflow: { nodes: TemplateNode[] }, name: string): TemplateNode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The template has no node "${name}" (nodes: ${workflow.nodes.map((n) => n.name).join(', ')})`);
	return node;
}

/** Writes copies of the templates into `dir`, each changed by its `edits` entry (an operator's settings). */
export function prepareTemplates(files: string[], dir: string, edits: Record<string, (template: Template) => void>): string[] {
	fs.mkdirSync(dir, { recursive: true });
	return files.map((file) => {
		const template = readTemplate(file);
		edits[path.basename(file)]?.(template);
		const copy = path.join(dir, path.basename(file));
		fs.writeFileSync(copy, JSON.stringify(template));
		return copy;
	});
}

/** Changes a stored workflow's nodes and saves it, as saving in the editor does (2.x: the draft). */
export async function editStoredWorkflow(rest: N8nRest, id: string, edit: (workflow: { nodes: TemplateNode[] }) => void): Promise<void> {
	const stored = N8nRest.unwrap<{ nodes: TemplateNode[]; versionId: string }>(await rest.get(`/rest/workflows/${id}`));
	edit(stored);
	await rest.send('PATCH', `/rest/workflows/${id}`, { nodes: stored.nodes, versionId: stored.versionId });
}

/**
 * `n8n execute --id`: runs the workflow from its Manual Trigger in a CLI process beside the server.
 * Asynchronous on purpose: the contract servers live in this test process, and a synchronous child
 * (harness n8nCli's execFileSync) would block them, so every request the workflow makes would hang.
 */
export async function executeCli(booted: BootedN8n, id: string, timeoutMs = 240_000): Promise<{ code: number; output: string }> {
	const env = await cliEnv(booted.n8n.env);
	const child = spawn(booted.install.node, [booted.install.n8nBin, 'execute', `--id=${id}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const chunks: string[] = [];
	child.stdout.on('data', (data: Buffer) => chunks.push(data.toString()));
	child.stderr.on('data', (data: Buffer) => chunks.push(data.toString()));
	const code = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`n8n execute --id=${id} did not finish within ${timeoutMs} ms:\n${chunks.join('').slice(-3000)}`));
		}, timeoutMs);
		child.once('error', reject);
		child.once('exit', (exitCode) => {
			clearTimeout(timer);
			resolve(exitCode ?? 1);
		});
	});
	// The exit code is not reliable on 2.x; callers judge by the stored execution.
	return { code, output: chunks.join('') };
}

/**
 * The editor's "Execute workflow" from a given trigger, through the REST API (runs inside the server).
 * 1.x reads the workflow from the body, 2.x from its database; the same body serves both.
 */
export async function runFromTrigger(rest: N8nRest, id: string, triggerName: string): Promise<string> {
	const workflowData = N8nRest.unwrap<Record<string, unknown>>(await rest.get(`/rest/workflows/${id}`));
	const answer = N8nRest.unwrap<{ executionId?: string }>(await rest.send('POST', `/rest/workflows/${id}/run`, { workflowData, triggerToStartFrom: { name: triggerName } }));
	if (!answer?.executionId) throw new Error(`n8n did not start workflow ${id} from "${triggerName}": ${JSON.stringify(answer)}`);
	return String(answer.executionId);
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits until the workflow has stored `count` finished executions (none still running) and returns them, newest first. */
export async function waitForExecutions(rest: N8nRest, workflowId: string, count: number, timeoutMs = 60_000): Promise<StoredExecution[]> {
	const deadline = Date.now() + timeoutMs;
	let executions: StoredExecution[] = [];
	while (Date.now() < deadline) {
		executions = await executionsOf(rest, workflowId);
		const finished = executions.filter((execution) => FINISHED.has(execution.status));
		if (finished.length >= count && finished.length === executions.length) return executions;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`workflow ${workflowId}: expected ${count} finished executions within ${timeoutMs} ms, n8n has ${JSON.stringify(executions.map((e) => ({ id: e.id, status: e.status, mode: e.mode })))}`);
}

/** Inverse of the `flatted` serialisation n8n stores execution data in (every string and object is an index into one array). */
export function unflatten(text: string): unknown {
	const input = JSON.parse(text) as unknown[];
	const revived = new Map<number, unknown>();
	const resolve = (index: number): unknown => {
		const entry = input[index];
		if (typeof entry !== 'object' || entry === null) return entry;
		if (revived.has(index)) return revived.get(index);
		const copy: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		revived.set(index, copy);
		for (const [key, value] of Object.entries(entry)) (copy as Record<string, unknown>)[key] = typeof value === 'string' ? resolve(Number(value)) : value;
		return copy;
	};
	return resolve(0);
}

interface RunData {
	resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>; error?: { message?: string } };
}

/** A stored execution's run data. */
export async function runDataOf(rest: N8nRest, executionId: string): Promise<RunData> {
	const execution = N8nRest.unwrap<{ data: string | RunData }>(await rest.get(`/rest/executions/${executionId}`));
	return (typeof execution.data === 'string' ? unflatten(execution.data) : execution.data) as RunData;
}

/** The items a node put on one output in a stored execution (all runs of the node together). */
export function nodeItems(runData: RunData, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = runData.resultData.runData[nodeName] ?? [];
	return runs.flatMap((run) => run.data?.main?.[output] ?? []).map((item) => item.json);
}

/** Why an execution failed, for assertion messages. */
export function failureOf(runData: RunData): string | null {
	const error = runData.resultData.error;
	if (error) return error.message ?? JSON.stringify(error);
	for (const [node, runs] of Object.entries(runData.resultData.runData)) {
		for (const run of runs) if (run.error) return `${node}: ${JSON.stringify(run.error).slice(0, 500)}`;
	}
	return null;
}

/** The personal project of the signed-in owner (data tables live in projects). */
export async function personalProjectId(rest: N8nRest): Promise<string> {
	const projects = N8nRest.unwrap<Array<{ id: string; type: string }>>(await rest.get('/rest/projects/my-projects'));
	const personal = projects.find((project) => project.type === 'personal');
	if (!personal) throw new Error(`no personal project in ${JSON.stringify(projects)}`);
	return personal.id;
}

export async function createDataTable(rest: N8nRest, projectId: string, name: string, columns: Array<{ name: string; type: 'string' | 'number' | 'boolean' | 'date' }>): Promise<string> {
	const table = N8nRest.unwrap<{ id: string }>(await rest.send('POST', `/rest/projects/${projectId}/data-tables`, { name, columns }));
	return table.id;
}

export async function dataTableRows(rest: N8nRest, projectId: string, tableId: string): Promise<Array<Record<string, unknown>>> {
	const answer = N8nRest.unwrap<{ data: Array<Record<string, unknown>> }>(await rest.get(`/rest/projects/${projectId}/data-tables/${tableId}/rows`));
	return answer.data;
}
