// GraphQL Code Generator: resolver signatures for each subgraph, typed against its SDL in schema/.
// `npm run codegen` rewrites subgraphs/*/generated/graphql.ts; `npm run check` fails when they are stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const subgraph = (name: string, mappers: Record<string, string>, contextType: string) => ({
  [`subgraphs/${name}/generated/graphql.ts`]: {
    schema: `schema/${name}.graphql`,
    plugins: ['typescript', 'typescript-resolvers'],
    config: {
      federation: true,
      useTypeImports: true,
      enumsAsTypes: true,
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      contextType,
      mappers,
      scalars: { DateTime: 'Date | string', Long: { input: 'bigint', output: 'bigint | string | number' } },
    },
  },
});

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...subgraph(
      'members',
      {
        Member: '../entities#MemberRow',
        LedgerTransfer: '../entities#TransferRow',
        LedgerEvent: '../../../shared/outbox#PublishedEvent',
        BalanceEvent: '../reads#MemberEventRow',
        Partner: '../resolvers#PartnerRef',
        MembersAuditEntry: '../../../shared/audit#AuditRecord',
        CheckoutToken: '../checkout#IssuedCheckoutToken',
        PurchaseClaim: '../claims#ClaimRow',
        RecordedPurchase: '../purchases#RecordedPurchaseRow',
        Campaign: '../campaigns#CampaignRow',
        CampaignEvent: '../campaigns#CampaignEventView',
        Offer: '../campaigns#MemberOffer',
      },
      '../context#MembersContext',
    ),
    ...subgraph(
      'rewards',
      {
        Reward: '../entities#RewardRow',
        Redemption: '../entities#RedemptionRow',
        Member: '../resolvers#MemberRef',
        Partner: '../resolvers#PartnerRef',
        RewardsAuditEntry: '../../../shared/audit#AuditRecord',
        RewardEvent: '../../../shared/outbox#PublishedEvent',
      },
      '../context#RewardsContext',
    ),
    ...subgraph(
      'settlement',
      {
        Partner: '../entities#PartnerRow',
        PartnerContract: '../entities#ContractRow',
        PartnerPosition: '../statements#PartnerPositionView',
        SettlementPeriod: '../periods#PeriodRow',
        SettlementStatement: '../statements#StatementRow',
        SettlementStatementLine: '../statements#StatementLineRow',
        Reconciliation: '../reconciliation#ReconciliationView',
        CoalitionBooks: '../books#BooksView',
        PointsFlow: '../reconciliation#PointsFlowRow',
        PartnerApiKey: '../apiKeys#ApiKeyRow',
        CoalitionAnalytics: '../analytics#CoalitionAnalyticsView',
        AuditEntry: '../../../shared/audit#AuditRecord',
        WebhookEndpoint: '../webhooks#WebhookEndpointRow',
        WebhookDelivery: '../webhookDelivery#DeliveryRow',
      },
      '../context#SettlementContext',
    ),
  },
};

export default config;
