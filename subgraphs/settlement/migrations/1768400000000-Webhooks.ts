import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks to partner systems (docs/DESIGN.md, "Webhooks"): the endpoints partners register, the
 * events settlement sends them (one row per event, whatever the number of endpoints), and the
 * durable delivery queue (one row per event and endpoint). Two more feed checkpoints, one per
 * source feed, move in the transaction that fans a batch out into deliveries. They start at 0:
 * an endpoint receives only events that happened after it was created, so reading the history
 * once delivers nothing old.
 */
export class Webhooks1768400000000 implements MigrationInterface {
  name = 'Webhooks1768400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        -- NULL: a coalition endpoint of the operator, which receives the events of every partner.
        partner_id uuid REFERENCES partners (id),
        url text NOT NULL,
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        description text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'ENABLED' CHECK (status IN ('ENABLED', 'DISABLED')),
        disabled_reason text,
        -- Signing secrets, encrypted (AES-256-GCM): the worker must be able to sign with them.
        secret_ciphertext text NOT NULL,
        previous_secret_ciphertext text,
        previous_secret_expires_at timestamptz,
        secret_rotated_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        created_by text NOT NULL
      )`);
    await runner.query('CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id, created_at)');
    // Who wants an event type at all (the expiry scan asks before it reads the ledger's lots).
    await runner.query(`CREATE INDEX webhook_endpoints_types ON webhook_endpoints USING gin (event_types) WHERE status = 'ENABLED'`);
    await runner.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY,
        -- Where the event came from (ledger:<event id>, rewards:<event id>, statement:<id>, ...):
        -- a feed batch fanned out twice inserts nothing the second time.
        source_key text NOT NULL UNIQUE,
        type text NOT NULL,
        -- The partner the event is about (and the only partner that receives it); NULL for none.
        partner_id uuid,
        member_id uuid,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        -- Enqueue order: a member's deliveries to one endpoint go out in this order.
        seq bigserial UNIQUE,
        event_id uuid NOT NULL REFERENCES webhook_events (id),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
        -- Deliveries with the same key to the same endpoint go out one at a time, in seq order.
        ordering_key text,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- A claimed attempt: nobody else tries this delivery until the lease ends (a worker
        -- killed mid-attempt leaves it to expire, and the delivery is tried again).
        lease_until timestamptz,
        -- Retries stop (DEAD) this long after it: the first enqueue, or the last manual replay.
        retry_window_started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        last_latency_ms integer,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (event_id, endpoint_id)
      )`);
    // What the worker looks for, and what holds back a member's later deliveries.
    await runner.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'PENDING'`);
    await runner.query(
      `CREATE INDEX webhook_deliveries_in_line ON webhook_deliveries (endpoint_id, ordering_key, seq) WHERE status = 'PENDING'`,
    );
    // The delivery log, newest first, and replays of a time range.
    await runner.query('CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)');
    await runner.query(`INSERT INTO feed_checkpoints (feed, position) VALUES ('webhooks:ledger', 0), ('webhooks:rewards', 0)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM feed_checkpoints WHERE feed IN ('webhooks:ledger', 'webhooks:rewards')`);
    await runner.query('DROP TABLE webhook_deliveries, webhook_events, webhook_endpoints');
  }
}
