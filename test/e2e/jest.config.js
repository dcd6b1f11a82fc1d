/** End-to-end suite against a real n8n release (N8N_VERSION); run through `npm run test:e2e`. */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testTimeout: 300_000,
	maxWorkers: 1,
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
};
