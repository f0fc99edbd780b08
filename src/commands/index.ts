import { chatCommand } from './chat.js';
import type { Config } from '../config/config.js';
import type { ButtonHandler, Command } from './command.js';
import { exportCommand } from './export.js';
import { forgetButton, forgetCommand } from './forget.js';
import { imagineCommand } from './imagine.js';
import { createModelCommand } from './model.js';
import { personaCommand } from './persona.js';
import { resetCommand } from './reset.js';
import { rewindCommand } from './rewind.js';
import { settingsCommand } from './settings.js';
import { stopButton, stopCommand } from './stop.js';
import { summarizeCommand } from './summarize.js';
import { usageCommand } from './usage.js';

/** Every slash command, in the order Discord lists them; some definitions depend on the configuration. */
export function createCommands(config: Pick<Config, 'models'>): readonly Command[] {
	return [
		chatCommand,
		personaCommand,
		settingsCommand,
		stopCommand,
		resetCommand,
		rewindCommand,
		exportCommand,
		forgetCommand,
		createModelCommand(config.models),
		usageCommand,
		summarizeCommand,
		imagineCommand,
	];
}

export const buttons: readonly ButtonHandler[] = [stopButton, forgetButton];
