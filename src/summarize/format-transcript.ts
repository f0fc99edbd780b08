/** One message of a conversation, as the summarizer sees it. */
export type TranscriptMessage = {
	readonly authorName: string;
	readonly bot: boolean;
	readonly content: string;
	/** Epoch ms. */
	readonly createdAt: number;
	/** The author of the message this one replies to, when known. */
	readonly replyTo?: string | undefined;
	/** What the text does not show, such as `image: plan.png` or `embed: Release notes`. */
	readonly extras?: readonly string[];
};

/** One entry per message, oldest first: `[2025-01-03 14:05] Alice (replying to Bob): text [image: plan.png]`. */
export function formatTranscript(messages: readonly TranscriptMessage[]): string[] {
	return messages.map((message) => {
		const bot = message.bot ? ' (bot)' : '';
		const reply = message.replyTo === undefined ? '' : ` (replying to ${message.replyTo})`;
		const extras = (message.extras ?? []).map((extra) => `[${extra}]`);
		const body = [message.content.trim(), ...extras].filter((part) => part !== '').join(' ');
		return `[${formatTimestamp(message.createdAt)}] ${message.authorName}${bot}${reply}: ${body}`;
	});
}

/** `2025-01-03 14:05`, in UTC. */
export function formatTimestamp(at: number): string {
	return new Date(at).toISOString().slice(0, 16).replace('T', ' ');
}
