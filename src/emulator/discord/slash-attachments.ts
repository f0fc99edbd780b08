import type { APIAttachment } from 'discord-api-types/v10';
import type { FakeAttachmentInput, StoredAttachment } from './attachment-types.js';
import { attachmentFromInput, attachmentPayload } from './attachments.js';
import { isRecord } from './responses.js';
import type { FakeState } from './state.js';

const ATTACHMENT_OPTION = 11;

/** A type 11 option naming `attachments[index]` of the same `slash` call; the fake swaps in the attachment's id. */
export function attachmentOption(name: string, index = 0): { name: string; type: 11; value: number } {
	return { name, type: ATTACHMENT_OPTION, value: index };
}

export type SlashUploads = {
	options: unknown[];
	attachments: StoredAttachment[];
	resolved: Record<string, APIAttachment>;
};

/** Uploads a command's attachments (ephemeral, like Discord's) and points index-valued options at their ids. */
export function uploadSlashAttachments(
	state: FakeState,
	channelId: string,
	options: unknown[],
	inputs: FakeAttachmentInput[],
): SlashUploads {
	const attachments = inputs.map((input) => attachmentFromInput(state, channelId, input, true));
	const rewrite = (list: unknown[]): unknown[] =>
		list.map((option) => {
			if (!isRecord(option)) return option;
			const nested = Array.isArray(option.options) ? { options: rewrite(option.options) } : {};
			if (option.type !== ATTACHMENT_OPTION || typeof option.value !== 'number') return { ...option, ...nested };
			const target = attachments[option.value];
			if (!target) throw new Error(`fake-discord: attachment option refers to attachments[${option.value}], not given`);
			return { ...option, ...nested, value: target.id };
		});
	const resolved = Object.fromEntries(
		attachments.map((attachment) => [attachment.id, attachmentPayload(state, channelId, attachment)]),
	);
	return { options: rewrite(options), attachments, resolved };
}
