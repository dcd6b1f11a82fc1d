/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- project tooling (runs n8n, databases, browsers), never part of the package */
/**
 * n8n in queue mode: one main process (UI, REST, production webhooks) and N workers that run the
 * executions, sharing PostgreSQL and Redis. All processes use one user folder, so they share the
 * encryption key and the installed community package.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { freePort, n8nEnv, startN8n, type N8nInstall, type RunningN8n } from '../../scripts/n8n/harness';

export interface QueueSettings {
	postgresPort: number;
	postgresDatabase: string;
	redisPort: number;
}

export function queueEnv(settings: QueueSettings): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(settings.redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(settings.postgresPort),
		DB_POSTGRESDB_DATABASE: settings.postgresDatabase,
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's default pool is 2 connections. Under a burst the main process's health ping (SELECT 1,
		// 5 s timeout) waits behind webhook queries, times out, and n8n answers every request 503
		// "Database is not ready!" until the next ping succeeds. Sale-day deployments need a bigger pool.
		DB_POSTGRESDB_POOL_SIZE: '20',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_LOG_LEVEL: 'warn',
		// Keep every execution so the suite can account for each delivery.
		EXECUTIONS_DATA_PRUNE: 'false',
	};
}

export interface Worker {
	index: number;
	child: ChildProcess;
	log: () => string;
	kill: (signal?: NodeJS.Signals) => Promise<void>;
}

export async function startWorker(install: N8nInstall, userFolder: string, settings: QueueSettings, index: number, concurrency = 10): Promise<Worker> {
	// Workers log at info: their readiness line ("n8n worker is now ready") is an info message.
	const env = n8nEnv({ userFolder, port: await freePort(), brokerPort: await freePort(), extra: { ...queueEnv(settings), N8N_LOG_LEVEL: 'info' } });
	const child = spawn(install.node, [install.n8nBin, 'worker', `--concurrency=${concurrency}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const chunks: string[] = [];
	child.stdout?.on('data', (data: Buffer) => chunks.push(data.toString()));
	child.stderr?.on('data', (data: Buffer) => chunks.push(data.toString()));
	const deadline = Date.now() + 120_000;
	while (!/worker is now ready/i.test(chunks.join(''))) {
		if (child.exitCode !== null) throw new Error(`worker ${index} exited:\n${chunks.join('').slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`worker ${index} not ready:\n${chunks.join('').slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return {
		index,
		child,
		log: () => chunks.join(''),
		kill: (signal: NodeJS.Signals = 'SIGTERM') =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
				child.once('exit', () => {
					clearTimeout(timer);
					resolve();
				});
				child.kill(signal);
			}),
	};
}

export async function startMain(install: N8nInstall, userFolder: string, settings: QueueSettings): Promise<RunningN8n> {
	const port = await freePort();
	return startN8n(install, { userFolder, port, brokerPort: await freePort(), extra: queueEnv(settings) });
}
