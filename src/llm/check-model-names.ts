import type { GoogleGenAI } from '@google/genai';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { checkModels, configuredModels, describeModelCheck, ModelCheckError } from './check-models.js';
import { createGeminiModelCatalog } from './gemini-model-catalog.js';

/**
 * Start-up: every configured model name must exist for this key. A typo stops the start (ModelCheckError, one line
 * naming the setting); a key Gemini rejects is logged, since replies then say so themselves; Gemini out of reach
 * is a warning, not a reason to stay down.
 */
export async function checkModelNames(client: GoogleGenAI, config: Config, logger: Logger): Promise<void> {
	const check = await checkModels(createGeminiModelCatalog({ client }), configuredModels(config));
	switch (check.kind) {
		case 'ok':
			logger.debug('gemini model names checked');
			return;
		case 'unknown':
			throw new ModelCheckError(check);
		case 'bad-key':
			logger.error({ reason: check.reason, hint: describeModelCheck(check) }, 'gemini rejected the api key');
			return;
		case 'unreachable':
			logger.warn({ reason: check.reason }, 'could not reach gemini to check the model names; starting anyway');
	}
}
