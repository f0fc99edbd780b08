import type { BenchBackend } from './backend.js';
import { backendName, benchBackend, errorText, onBackend } from './backend.js';
import { codeState, machineFacts } from './machine.js';
import { cadenceScenario } from './scenario-cadence.js';
import { contextScenario } from './scenario-context.js';
import { ingestScenario } from './scenario-ingest.js';
import { latencyScenario } from './scenario-latency.js';
import { memoryScenario } from './scenario-memory.js';
import { openAiScenario } from './scenario-openai.js';
import { queueScenario } from './scenario-queue.js';
import { queuedScenario } from './scenario-queued.js';
import { sandboxScenario } from './scenario-sandbox.js';
import { sharedRpmScenario } from './scenario-shared-rpm.js';
import { startupScenario } from './scenario-startup.js';
import { streams12Scenario } from './scenario-streams-12.js';
import { streams50Scenario } from './scenario-streams-50.js';
import { vertexScenario } from './scenario-vertex.js';
import type { Scenario } from './scenario.js';
import { seconds } from './stats.js';
import { formatTable } from './table.js';
import type { Target } from './targets.js';
import { targetLine } from './targets.js';

const SCENARIOS: readonly Scenario[] = [
	latencyScenario,
	streams12Scenario,
	queuedScenario,
	streams50Scenario,
	contextScenario,
	startupScenario,
	cadenceScenario,
	queueScenario,
	memoryScenario,
	openAiScenario,
	vertexScenario,
	ingestScenario,
	sharedRpmScenario,
	sandboxScenario,
];

const print = (text = ''): void => {
	process.stdout.write(`${text}\n`);
};

const matches = (scenario: Scenario, name: string): boolean => scenario.name === name || scenario.letter === name;

/**
 * `[BENCH_BACKEND=postgres] npm run bench [-- name-or-letter …]`: runs every scenario (or the named ones) against the
 * fakes, prints tables. The bots' database is BENCH_BACKEND's (SQLite by default); (a) and (e) run on both.
 */
async function main(): Promise<number> {
	const only = process.argv.slice(2);
	const unknown = only.filter((name) => !SCENARIOS.some((scenario) => matches(scenario, name)));
	if (unknown.length > 0) {
		const known = SCENARIOS.map((scenario) => `${scenario.letter} ${scenario.name}`).join(', ');
		print(`unknown scenario(s): ${unknown.join(', ')}; known: ${known}`);
		return 2;
	}
	let backend: BenchBackend;
	try {
		backend = benchBackend();
	} catch (error) {
		print(errorText(error));
		return 2;
	}
	const selected =
		only.length === 0 ? SCENARIOS : SCENARIOS.filter((scenario) => only.some((name) => matches(scenario, name)));
	const startedAt = Date.now();
	print('# gemthread bench (fake Discord + fake Gemini on 127.0.0.1)');
	print();
	const database = `${backendName(backend)} (BENCH_BACKEND); (a) and (e) run on SQLite and on PostgreSQL`;
	print(formatTable(['machine', ''], [...machineFacts(), ['Database', database]]));
	let failed = 0;
	const targets: Target[] = [];
	for (const scenario of selected) {
		print();
		print(`## ${scenario.title}${scenario.onBenchBackend === true ? ` [${backendName(backend)}]` : ''}`);
		const scenarioStart = Date.now();
		try {
			const result = await scenario.run();
			print(result.setup);
			print();
			print(formatTable(result.header, result.rows));
			print(`(${scenario.name}: ${seconds(Date.now() - scenarioStart)})`);
			const named = (result.targets ?? []).map((target) =>
				scenario.onBenchBackend === true ? onBackend(backend, target) : target,
			);
			for (const target of named) print(targetLine(target));
			targets.push(...named);
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
	if (targets.length > 0) {
		print(`## Targets: ${targets.filter((target) => target.pass).length} of ${targets.length} met`);
		for (const target of targets) print(targetLine(target));
		print();
	}
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
