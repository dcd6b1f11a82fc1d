/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Boots the pinned n8n release named by N8N_VERSION with this package installed from its tarball,
 * in a fresh user folder, with the given workflows and credentials imported and activated first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	N8nRest,
	PACKAGE_NAME,
	START_VERSION,
	activateWorkflow,
	cacheDir,
	ensureN8n,
	freePort,
	importTemplates,
	installPackage,
	n8nCli,
	n8nEnv,
	packPackage,
	startN8n,
	type N8nInstall,
	type RunningN8n,
} from '../../scripts/n8n/harness';

export const N8N_VERSION = process.env.N8N_VERSION ?? START_VERSION;

let tarball: string | undefined;

export interface BootOptions {
	/** Workflow files (n8n export format) to import before start. */
	workflowFiles?: string[];
	/** Credentials in n8n's import format (plain `data`), written to a temp file and imported. */
	credentials?: unknown[];
	/** Workflow ids to activate (webhook-started workflows). */
	activate?: string[];
	extraEnv?: Record<string, string>;
}

export interface BootedN8n {
	install: N8nInstall;
	n8n: RunningN8n;
	rest: N8nRest;
	userFolder: string;
	stop: () => Promise<void>;
}

export async function bootN8n(options: BootOptions = {}): Promise<BootedN8n> {
	const install = ensureN8n(N8N_VERSION);
	tarball ??= packPackage();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${N8N_VERSION}-`));
	installPackage(userFolder, tarball);
	const port = await freePort();
	const brokerPort = await freePort();
	const envOptions = { userFolder, port, brokerPort, extra: options.extraEnv };
	const env = n8nEnv(envOptions);
	if (options.credentials?.length) {
		const file = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(options.credentials));
		n8nCli(install, env, ['import:credentials', `--input=${file}`]);
	}
	if (options.workflowFiles?.length) importTemplates(install, env, options.workflowFiles);
	for (const id of options.activate ?? []) activateWorkflow(install, env, id);
	const n8n = await startN8n(install, envOptions);
	const rest = new N8nRest(n8n.baseUrl);
	await rest.signIn();
	return {
		install,
		n8n,
		rest,
		userFolder,
		stop: async () => {
			await n8n.stop();
			if (!process.env.E2E_KEEP_FOLDERS) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/** The lines n8n logged that mention this package together with an error. */
/**
 * Log lines where n8n reports an error about this package. Matched on the package name, not on
 * "commerce-retention" alone: the n8n install itself lives under ~/.cache/n8n-commerce-retention, so
 * every stack trace of n8n's own (e.g. 2.x's failed calls to api.n8n.io, offline here) would match.
 */
export function packageLoadErrors(log: string): string[] {
	const cache = cacheDir();
	return log
		.split('\n')
		.map((line) => line.split(cache).join('<n8n cache>'))
		.filter((line) => line.includes(PACKAGE_NAME) && /error|fail|could not|cannot/i.test(line));
}

export interface StoredExecution {
	id: string;
	status: string;
	mode: string;
	workflowId: string;
}

export async function executionsOf(rest: N8nRest, workflowId: string): Promise<StoredExecution[]> {
	const answer = await rest.get<unknown>(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	const data = N8nRest.unwrap<{ results: StoredExecution[] } | StoredExecution[]>(answer);
	return Array.isArray(data) ? data : data.results;
}

/** One stored execution with its run data (n8n keeps it "flatted"; the REST answer parses it for us when asked). */
export async function executionData(rest: N8nRest, executionId: string): Promise<unknown> {
	return N8nRest.unwrap(await rest.get<unknown>(`/rest/executions/${executionId}`));
}
