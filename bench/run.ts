import { codeState, machineFacts } from './machine.js';
import { cadenceScenario } from './scenario-cadence.js';
import { latencyScenario } from './scenario-latency.js';
import { queueScenario } from './scenario-queue.js';
import { soakScenario } from './scenario-soak.js';
import type { Scenario } from './scenario.js';
import { seconds } from './stats.js';
import { formatTable } from './table.js';

const SCENARIOS: readonly Scenario[] = [latencyScenario, cadenceScenario, soakScenario, queueScenario];

const print = (text = ''): void => {
	process.stdout.write(`${text}\n`);
};

/** `npm run bench [-- name …]`: runs every scenario (or the named ones) against the fakes and prints tables. */
async function main(): Promise<number> {
	const only = process.argv.slice(2);
	const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
	if (unknown.length > 0) {
		print(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
		return 2;
	}
	const selected = only.length === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => only.includes(scenario.name));
	const startedAt = Date.now();
	print('# gemthread bench (fake Discord + fake Gemini on 127.0.0.1)');
	print();
	print(formatTable(['machine', ''], machineFacts()));
	let failed = 0;
	for (const scenario of selected) {
		print();
		print(`## ${scenario.title}`);
		const scenarioStart = Date.now();
		try {
			const result = await scenario.run();
			print(result.setup);
			print();
			print(formatTable(result.header, result.rows));
			print(`(${scenario.name}: ${seconds(Date.now() - scenarioStart)})`);
			if (result.failures.length > 0) {
				failed += 1;
				for (const failure of result.failures) print(`FAILED ${scenario.name}: ${failure}`);
			}
		} catch (error) {
			failed += 1;
			print(`FAILED ${scenario.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}
	}
	print();
	print(`Code at the end: ${codeState()}`);
	print(
		`Total: ${seconds(Date.now() - startedAt)}; ${failed === 0 ? 'all scenarios completed' : `${failed} scenario(s) failed`}`,
	);
	return failed === 0 ? 0 : 1;
}

// Exit explicitly: a scenario that failed half-way may leave a timer or socket behind.
main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${String(error)}\n`);
		process.exit(1);
	},
);
