/** One conversation: a Discord thread the bot talks in. */
export type Session = {
	threadId: string;
	guildId: string;
	parentChannelId: string;
	creatorId: string;
	/** The bot created the thread, so every member message there is for the bot. */
	owned: boolean;
	createdAt: number;
	updatedAt: number;
	/** When Discord said the thread is gone (deleted): nothing is posted there again. */
	deletedAt: number | undefined;
	/** Characters per token measured on the thread's previous call; undefined before its first reply. */
	charactersPerToken: number | undefined;
	/** The sha256 of the name the bot gave the thread when it created it (undefined for members' threads). */
	botThreadNameHash: string | undefined;
};

export type NewSession = Omit<
	Session,
	'createdAt' | 'updatedAt' | 'deletedAt' | 'charactersPerToken' | 'botThreadNameHash'
> & {
	/** The name the bot gave the thread, if it created it: only its hash is stored. */
	botThreadName?: string | undefined;
};
