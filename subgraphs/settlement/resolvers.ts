import { notFound } from '../../shared/errors';
import { DateTime, Long } from '../../shared/scalars';
import { checkId } from '../../shared/validation';
import { apiKeysOf, createApiKey, revokeApiKey, verifyApiKey } from './apiKeys';
import { coalitionAnalytics } from './analytics';
import { auditLog } from './audit';
import { booksOf } from './books';
import { ContractRow, PartnerRow } from './entities';
import type { Resolvers } from './generated/graphql';
import { periodById } from './periods';
import { deliveriesOf, replayDeliveries, replayDelivery, sendTestWebhook } from './webhookDelivery';
import {
  coalitionWebhookEndpoints,
  createWebhookEndpoint,
  endpointFor,
  eventTypeName,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  webhookEndpointsOf,
} from './webhooks';
import { pointsFlows, reconcile, singleCurrencyMoney } from './reconciliation';
import { contractsOf, currentContractOf, partnerTerms, registerPartner, setPartnerContract, setPartnerStatus } from './settlement';
import {
  closePeriod,
  listPeriods,
  positionOf,
  statementById,
  statementContractsOf,
  statementCsv,
  statementDocument,
  statementJson,
  statementLinesOf,
  statementsOf,
} from './statements';

/** A row the core just wrote or referenced must exist; its absence is a bug, not a caller's error. */
function present<T>(row: T | null | undefined): T {
  if (row === null || row === undefined) throw new Error('a row written or referenced in this request could not be read back');
  return row;
}

/**
 * Resolvers only translate GraphQL to calls of the settlement core (settlement.ts, entries.ts,
 * statements.ts, reconciliation.ts, books.ts, apiKeys.ts, analytics.ts, audit.ts, webhooks.ts,
 * webhookDelivery.ts), which decides access.
 */
export const resolvers: Resolvers = {
  DateTime,
  Long,
  Query: {
    partners: (_root, _args, { settlement }) =>
      settlement.dataSource.getRepository(PartnerRow).find({ order: { programName: 'ASC', name: 'ASC' } }),
    partner: async (_root, { id }, { loaders }) => {
      const partner = await loaders.partner.load(checkId(id, 'id'));
      if (!partner) throw notFound(`No partner with id ${id}`);
      return partner;
    },
    settlementPeriods: (_root, { first }, { caller, settlement }) =>
      listPeriods(settlement.dataSource, caller, first, settlement.periodCalendar),
    settlementStatement: (_root, { id }, { caller, settlement }) => statementById(settlement.dataSource, caller, id),
    reconciliation: (_root, { periodId }, { caller, settlement }) =>
      reconcile(settlement.dataSource, caller, periodId, settlement.ledgerTotals, settlement.catchUp),
    coalitionBooks: (_root, { periodId }, { caller, settlement }) =>
      booksOf(settlement.dataSource, caller, periodId, settlement.ledgerFloat, settlement.catchUp),
    pointsFlows: (_root, { periodId }, { caller, settlement }) => pointsFlows(settlement.dataSource, caller, periodId),
    coalitionAnalytics: (_root, { periodId }, { caller, settlement }) =>
      coalitionAnalytics(settlement.dataSource, caller, periodId, settlement.analyticsMinGroupSize),
    auditLog: (_root, args, { caller, settlement }) => auditLog(settlement.dataSource, caller, settlement.auditSources, args),
    webhookEndpoint: (_root, { id }, { caller, settlement }) =>
      endpointFor(settlement.dataSource.manager, caller, id, 'read webhook endpoints'),
    coalitionWebhookEndpoints: (_root, _args, { caller, settlement }) => coalitionWebhookEndpoints(settlement.dataSource, caller),
    verifyPartnerApiKey: (_root, { secret }, { caller, settlement }) => verifyApiKey(settlement.dataSource, caller, secret),
    partnerTerms: (_root, { partnerId }, { caller, settlement }) =>
      partnerTerms(settlement.dataSource, caller, checkId(partnerId, 'partnerId')),
  },
  Mutation: {
    registerPartner: async (_root, { input }, { caller, settlement, loaders }) =>
      present(await loaders.partner.load(await registerPartner(settlement.dataSource, caller, input))),
    setPartnerStatus: async (_root, { partnerId, status }, { caller, settlement }) =>
      present(
        await settlement.dataSource
          .getRepository(PartnerRow)
          .findOneBy({ id: await setPartnerStatus(settlement, caller, partnerId, status) }),
      ),
    setPartnerContract: async (_root, { input }, { caller, settlement }) =>
      present(
        await settlement.dataSource.getRepository(ContractRow).findOneBy({ id: await setPartnerContract(settlement, caller, input) }),
      ),
    createPartnerApiKey: (_root, { partnerId, label, scopes }, { caller, settlement }) =>
      createApiKey(settlement.dataSource, caller, { partnerId, label, scopes }),
    revokePartnerApiKey: (_root, { keyId }, { caller, settlement }) => revokeApiKey(settlement.dataSource, caller, keyId),
    createWebhookEndpoint: (_root, { input }, { caller, settlement }) =>
      createWebhookEndpoint(settlement.dataSource, caller, settlement.webhooks, input),
    updateWebhookEndpoint: (_root, { id, input }, { caller, settlement }) =>
      updateWebhookEndpoint(settlement.dataSource, caller, settlement.webhooks, id, input),
    rotateWebhookSecret: (_root, { id, overlapSeconds }, { caller, settlement }) =>
      rotateWebhookSecret(settlement.dataSource, caller, settlement.webhooks, id, overlapSeconds),
    replayWebhookDelivery: async (_root, { id }, { caller, settlement }) => {
      const delivery = await replayDelivery(settlement.dataSource, caller, id);
      settlement.onWebhooksEnqueued();
      return delivery;
    },
    replayWebhookDeliveries: async (_root, args, { caller, settlement }) => {
      const replayed = await replayDeliveries(settlement.dataSource, caller, args);
      settlement.onWebhooksEnqueued();
      return replayed;
    },
    sendTestWebhook: async (_root, { endpointId }, { caller, settlement }) => {
      const delivery = await sendTestWebhook(settlement.dataSource, caller, endpointId);
      settlement.onWebhooksEnqueued();
      return delivery;
    },
    closeSettlementPeriod: async (_root, { periodId, closeAt }, { caller, settlement }) => {
      const closed = await closePeriod(settlement.dataSource, caller, { periodId, closeAt }, settlement.periodCalendar, settlement.catchUp);
      return periodById(settlement.dataSource.manager, closed);
    },
  },
  Subscription: {
    partnerPositionChanged: {
      // Served by the gateway (gateway/subscriptions.ts), which reads positions through Partner.position.
      subscribe: () => {
        throw new Error('partnerPositionChanged is served by the gateway over graphql-ws');
      },
    },
  },
  Partner: {
    __resolveReference: (reference, { loaders }) => loaders.partner.load(reference.id),
    contract: (partner, _args, { caller, loaders }) => currentContractOf(caller, partner, loaders.currentContract),
    contracts: (partner, _args, { caller, settlement }) => contractsOf(settlement.dataSource, caller, partner.id),
    position: (partner, _args, { caller, loaders }) => positionOf(caller, partner.id, loaders.position),
    apiKeys: (partner, _args, { caller, settlement }) => apiKeysOf(settlement.dataSource, caller, partner.id),
    statements: (partner, { first }, { caller, settlement }) => statementsOf(settlement.dataSource, caller, partner.id, first ?? 12),
    webhookEndpoints: (partner, _args, { caller, settlement }) => webhookEndpointsOf(settlement.dataSource, caller, partner.id),
  },
  WebhookEndpoint: {
    partner: (endpoint, _args, { loaders }) => (endpoint.partner_id ? loaders.partner.load(endpoint.partner_id) : null),
    eventTypes: (endpoint) => endpoint.event_types.map((type) => present(eventTypeName(type))),
    disabledReason: (endpoint) => endpoint.disabled_reason,
    consecutiveFailures: (endpoint) => endpoint.consecutive_failures,
    secretRotatedAt: (endpoint) => endpoint.secret_rotated_at,
    previousSecretExpiresAt: (endpoint) => endpoint.previous_secret_expires_at,
    createdAt: (endpoint) => endpoint.created_at,
    deliveries: (endpoint, args, { caller, settlement }) => deliveriesOf(settlement.dataSource, caller, endpoint.id, args),
  },
  WebhookDelivery: {
    eventId: (d) => d.event_id,
    eventType: (d) => d.type,
    memberId: (d) => d.member_id,
    occurredAt: (d) => d.occurred_at,
    lastStatusCode: (d) => d.last_status_code,
    lastError: (d) => d.last_error,
    lastLatencyMs: (d) => d.last_latency_ms,
    lastAttemptAt: (d) => d.last_attempt_at,
    nextAttemptAt: (d) => (d.status === 'PENDING' ? d.next_attempt_at : null),
    deliveredAt: (d) => d.delivered_at,
    createdAt: (d) => d.created_at,
  },
  PartnerContract: {
    version: (contract, _args, { loaders }) => loaders.contractVersion.load(contract.id),
  },
  PartnerApiKey: {
    createdAt: (key) => key.created_at,
    revokedAt: (key) => key.revoked_at,
    lastUsedAt: (key) => key.last_used_at,
  },
  SettlementPeriod: {
    startsAt: (period) => period.starts_at,
    endsAt: (period) => period.ends_at,
    closedAt: (period) => period.closed_at,
  },
  SettlementStatement: {
    partner: async (statement, _args, { loaders }) => present(await loaders.partner.load(statement.partner_id)),
    period: (statement, _args, { settlement }) => periodById(settlement.dataSource.manager, statement.period_id),
    pointsIssued: (s) => s.points_issued,
    issuedAmountMinor: (s) => s.issued_amount_minor,
    pointsReversed: (s) => s.points_reversed,
    reversedAmountMinor: (s) => s.reversed_amount_minor,
    pointsBonus: (s) => s.points_bonus,
    bonusAmountMinor: (s) => s.bonus_amount_minor,
    pointsBonusReversed: (s) => s.points_bonus_reversed,
    bonusReversedAmountMinor: (s) => s.bonus_reversed_amount_minor,
    pointsRedeemed: (s) => s.points_redeemed,
    redeemedAmountMinor: (s) => s.redeemed_amount_minor,
    netAmountMinor: (s) => s.net_amount_minor,
    lateEvents: (s) => s.late_events,
    contracts: (s, _args, { caller, loaders }) => statementContractsOf(caller, s, loaders),
    lines: (s, _args, { caller, loaders }) => statementLinesOf(caller, s, loaders),
    csv: async (s, _args, { caller, settlement, loaders }) =>
      statementCsv(await statementDocument(settlement.dataSource.manager, caller, s, loaders)),
    json: async (s, _args, { caller, settlement, loaders }) =>
      statementJson(await statementDocument(settlement.dataSource.manager, caller, s, loaders)),
  },
  SettlementStatementLine: {
    contract: async (line, _args, { loaders }) => present(await loaders.contract.load(line.contract_id)),
    eventCount: (line) => line.event_count,
    priceMicrosPerPoint: (line) => line.price_micros_per_point,
    amountMicros: (line) => line.amount_micros,
  },
  AuditEntry: {
    details: (entry) => JSON.stringify(entry.details),
  },
  Reconciliation: {
    issuedLessReversedMinor: (view) => singleCurrencyMoney(view).issuedLessReversedMinor,
    redeemedMinor: (view) => singleCurrencyMoney(view).redeemedMinor,
    coalitionMarginMinor: (view) => singleCurrencyMoney(view).coalitionMarginMinor,
    partnerNetsMinor: (view) => singleCurrencyMoney(view).partnerNetsMinor,
  },
  PointsFlow: {
    issuer: (flow, _args, { loaders }) => (flow.issuerPartnerId ? loaders.partner.load(flow.issuerPartnerId) : null),
    redeemer: async (flow, _args, { loaders }) => present(await loaders.partner.load(flow.redeemerPartnerId)),
  },
};
