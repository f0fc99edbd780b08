import type { ChainableCommander } from 'ioredis';

/** Runs a MULTI and returns its replies; throws the first failed command's error (EXEC resolves with them inside). */
export async function runMulti(multi: ChainableCommander): Promise<unknown[]> {
	const replies = await multi.exec();
	if (replies === null) throw new Error('Redis discarded the transaction');
	return replies.map(([error, reply]) => {
		if (error) throw error;
		return reply;
	});
}
