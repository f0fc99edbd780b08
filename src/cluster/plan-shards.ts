/** Each process's shards: `count` shards split into `processes` runs of consecutive ids, the first ones a shard longer. */
export function planShards(count: number, processes: number): number[][] {
	const parts = Math.min(processes, count);
	const base = Math.floor(count / parts);
	const longer = count % parts;
	const plan: number[][] = [];
	let next = 0;
	for (let part = 0; part < parts; part += 1) {
		const size = base + (part < longer ? 1 : 0);
		plan.push(Array.from({ length: size }, (_, index) => next + index));
		next += size;
	}
	return plan;
}

/** [4, 5, 6, 7] → "4-7": the form SHARD_IDS takes. */
export function shardIdsText(ids: readonly number[]): string {
	const first = ids[0];
	const last = ids.at(-1);
	return first === undefined || last === undefined ? '' : first === last ? String(first) : `${first}-${last}`;
}
