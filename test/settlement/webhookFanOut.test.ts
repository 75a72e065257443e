import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { EventBus } from '../../shared/eventBus';
import type { SubgraphClient } from '../../shared/internalClient';
import { startWebhookFanOut, webhookOfLedgerEvent, type LedgerFeedEvent } from '../../subgraphs/settlement/webhookEvents';
import { ledgerEvent, startSettlementCore, type SettlementCore } from '../support/settlementCore';

/**
 * The ledger's webhook fan-out handed the batches the ledger feed reads (webhookEvents.ts, offer),
 * at the domain core on a settlement database of its own: a batch that joins the fan-out's
 * checkpoint is fanned out, each event once per endpoint however often it is offered; one that
 * starts after the checkpoint is left to the fan-out's own reads, which would otherwise skip the
 * events between.
 */

let core: SettlementCore;
let dataSource: DataSource;

beforeAll(async () => {
  core = await startSettlementCore('webhook_fan_out');
  ({ dataSource } = core);
  await dataSource.query(
    `INSERT INTO webhook_endpoints (id, partner_id, url, event_types, secret_ciphertext, created_by, created_at)
     VALUES ($1, $2, 'https://partner.example/hooks', ARRAY['points.earned'], 'unused', 'test', $3)`,
    [randomUUID(), core.partnerId, core.day(10)],
  );
});

afterAll(async () => {
  await core?.stop();
});

it('fans out an offered batch that joins its checkpoint, once, and leaves one after a gap to its own reads', async () => {
  // Its own reads find nothing: what is fanned out here comes from offers.
  const members = { request: async () => ({ ledgerEvents: [] }) } as unknown as SubgraphClient;
  const fanOut = startWebhookFanOut<LedgerFeedEvent>({
    dataSource,
    bus: {} as EventBus,
    pollIntervalMs: 3_600_000,
    onEnqueued: () => undefined,
    source: { feed: 'webhooks:ledger', client: members, query: 'unused', field: 'ledgerEvents', map: webhookOfLedgerEvent },
  });
  try {
    const earn = () => ({ ...ledgerEvent(core.partnerId, 'EARN', 10, core.day(1)), memberEnrolledViaPartnerId: null });
    const first = [earn(), earn()];
    const second = [earn()];
    const checkpoint = async () =>
      (await dataSource.query(`SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'webhooks:ledger'`))[0].position;
    const deliveries = async () =>
      (
        await dataSource.query(`SELECT e.source_key FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id ORDER BY d.seq`)
      ).map((row: { source_key: string }) => row.source_key);
    const start = BigInt(await checkpoint());

    // Read after the second batch's predecessor, while the first is not fanned out: a gap.
    await fanOut.offer(BigInt(first.at(-1)!.position), second);
    expect(await deliveries()).toEqual([]);
    expect(BigInt(await checkpoint())).toBe(start);

    await fanOut.offer(start, first);
    await fanOut.offer(start, first);
    await fanOut.offer(BigInt(first.at(-1)!.position), second);
    expect(await deliveries()).toEqual([...first, ...second].map((event) => `ledger:${event.id}`));
    expect(await checkpoint()).toBe(second[0]!.position);
  } finally {
    await fanOut.stop();
  }
});
