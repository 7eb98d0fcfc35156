import type { LocalizedText } from './text.ts';
import { databaseMessages } from '../db/messages.ts';
import { fileMessages } from '../files/messages.ts';
import { metadataMessages } from '../metadata/messages.ts';
import { packageMessages } from '../packages/messages.ts';
import { preferenceMessages } from '../preferences/messages.ts';
import { printMessages } from '../print/messages.ts';
import { printServiceMessages } from '../print/service-messages.ts';
import { printJobMessages } from '../print/job-messages.ts';
import { recordMessages } from '../records/messages.ts';
import { queryMessages } from '../records/query/messages.ts';
import { accessMessages } from '../security/access-messages.ts';
import { securityMessages } from '../security/messages.ts';

/**
 * Every message the engine gives a person, by code: each module keeps its own catalogue
 * (`engine/<module>/messages.ts`) and this one joins them, so codes stay unique and typed.
 */
export const messages = {
  ...databaseMessages,
  ...metadataMessages,
  ...packageMessages,
  ...recordMessages,
  ...queryMessages,
  ...securityMessages,
  ...accessMessages,
  ...preferenceMessages,
  ...fileMessages,
  ...printMessages,
  ...printServiceMessages,
  ...printJobMessages,
} as const satisfies Record<string, LocalizedText>;

export type MessageCode = keyof typeof messages;
