import { outboxTraceparentMigration } from '../../../shared/outbox';

/** Each outbox event keeps the traceparent of the write that appended it (shared/outbox.ts). */
export const MembersOutboxTraceparent1768200000000 = outboxTraceparentMigration('Members');
