/** A /forget waiting for its member to press Delete or Cancel. */
export type PendingForget = { readonly threadId: string; readonly userId: string };

/** The running bot's open /forget confirmations: a bot started again has none, so older buttons say expired. */
export type ForgetConfirmations = {
	/** Opens one; `onExpire` runs if nobody settles it within `ttlMs`. */
	open(nonce: string, pending: PendingForget, ttlMs: number, onExpire: () => void): void;
	get(nonce: string): PendingForget | undefined;
	/** Closes one (pressed): its expiry no longer runs. */
	settle(nonce: string): void;
	/** Shutdown: no expiry edit runs after the client is gone. */
	clear(): void;
};

export function createForgetConfirmations(): ForgetConfirmations {
	const open = new Map<string, { pending: PendingForget; timer: NodeJS.Timeout }>();
	return {
		open(nonce, pending, ttlMs, onExpire) {
			const timer = setTimeout(() => {
				open.delete(nonce);
				onExpire();
			}, ttlMs);
			timer.unref();
			open.set(nonce, { pending, timer });
		},
		get: (nonce) => open.get(nonce)?.pending,
		settle(nonce) {
			clearTimeout(open.get(nonce)?.timer);
			open.delete(nonce);
		},
		clear() {
			for (const { timer } of open.values()) clearTimeout(timer);
			open.clear();
		},
	};
}
