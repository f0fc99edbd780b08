import { describe, expect, it } from 'vitest';
import { createActiveReplies } from '../../src/chat/active-replies.js';

describe('createActiveReplies', () => {
	it('aborts the running reply of a thread with the given reason, once', () => {
		const replies = createActiveReplies();
		const reply = replies.begin('t1', 1);
		expect(replies.isActive('t1')).toBe(true);
		expect(replies.stop('t1', 'Stopped by Alice.')).toBe(true);
		expect(reply.signal.aborted).toBe(true);
		expect(reply.signal.reason).toBe('Stopped by Alice.');
		expect(replies.stop('t1', 'again')).toBe(false);
		reply.end();
		expect(replies.isActive('t1')).toBe(false);
	});

	it('has nothing to stop in a quiet thread, and keeps threads apart', () => {
		const replies = createActiveReplies();
		const other = replies.begin('t2', 2);
		expect(replies.stop('t1', 'x')).toBe(false);
		expect(other.signal.aborted).toBe(false);
	});

	it('does not let an old reply unregister the newer one', () => {
		const replies = createActiveReplies();
		const first = replies.begin('t1', 1);
		const second = replies.begin('t1', 1);
		first.end();
		expect(replies.isActive('t1')).toBe(true);
		second.end();
		expect(replies.isActive('t1')).toBe(false);
	});

	it('knows which turn a reply answers and whether its model call has started', () => {
		const replies = createActiveReplies();
		const reply = replies.begin('t1', 7);
		expect(replies.get('t1')).toEqual({ threadId: 't1', turnId: 7, started: false });
		reply.markStarted();
		expect(replies.get('t1')?.started).toBe(true);
		expect(replies.list()).toEqual([{ threadId: 't1', turnId: 7, started: true }]);
		reply.end();
		expect(replies.get('t1')).toBeUndefined();
	});
});
