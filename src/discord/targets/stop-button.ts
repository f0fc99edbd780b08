import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord.js';
import { ButtonStyle, ComponentType } from 'discord.js';

export const STOP_BUTTON_PREFIX = 'stop:';

/** The row with a Stop button shown under a reply while it is being written. */
export function stopButtonRow(threadId: string): APIActionRowComponent<APIComponentInMessageActionRow> {
	return {
		type: ComponentType.ActionRow,
		components: [
			{
				type: ComponentType.Button,
				style: ButtonStyle.Secondary,
				label: 'Stop',
				emoji: { name: '⏹️' },
				custom_id: `${STOP_BUTTON_PREFIX}${threadId}`,
			},
		],
	};
}
