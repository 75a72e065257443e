import { randomUUID } from 'node:crypto';
import { actingPartner } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { checkText } from '../../shared/validation';
import { checkBasket, type BasketLineInput } from './basket';
import { checkWithinClaimWindow, confirmIfMatched, refuseEarnedReceipt } from './claims';
import { MAX_DOCUMENT_FIELD_LENGTH } from './earning';
import { checkInstant, checkPurchaseAmount, writeIdempotent, type LedgerDeps } from './ledger';

/**
 * Purchases recorded without a member: the till sends every receipt it could not attach to a
 * member, so that a member's later claim of it (claims.ts) is confirmed by the record instead of by
 * a person at the partner. A receipt (partner, document number) is recorded once; a recorded
 * purchase earns at most once, through the one claim of its receipt.
 */

export interface RecordPurchaseInput {
  partnerId?: string | null;
  documentNumber: string;
  storeId?: string | null;
  purchaseAmountMinor: number;
  currency: string;
  purchasedAt: Date | string;
  lines?: readonly BasketLineInput[] | null;
  idempotencyKey: string;
}

export interface RecordedPurchaseRow {
  id: string;
  partnerId: string;
  documentNumber: string;
  storeId: string | null;
  purchaseAmountMinor: number;
  currency: string;
  purchasedAt: Date;
  createdAt: Date;
}

const PURCHASE_COLUMNS = `id, partner_id AS "partnerId", document_number AS "documentNumber", store_id AS "storeId",
  purchase_amount_minor::int AS "purchaseAmountMinor", currency, purchased_at AS "purchasedAt", created_at AS "createdAt"`;

export async function recordedPurchase(deps: LedgerDeps, purchaseId: string): Promise<RecordedPurchaseRow> {
  const [row] = (await deps.dataSource.query(`SELECT ${PURCHASE_COLUMNS} FROM recorded_purchases WHERE id = $1`, [
    purchaseId,
  ])) as RecordedPurchaseRow[];
  if (!row) throw notFound(`No recorded purchase with id ${purchaseId}`);
  return row;
}

/**
 * Records a purchase made without an identified member, and confirms a pending claim of its
 * receipt that matches it. Idempotent by key; the same receipt under another key is refused, as is
 * a receipt that already earned. Only purchases a claim could still name are taken: within the
 * claim window, not in the future.
 */
export async function recordPurchase(deps: LedgerDeps, caller: Caller, input: RecordPurchaseInput): Promise<RecordedPurchaseRow> {
  const partnerId = actingPartner(caller, input.partnerId, 'record purchases');
  const documentNumber = checkText(input.documentNumber, 'documentNumber', MAX_DOCUMENT_FIELD_LENGTH);
  const storeId = input.storeId ? checkText(input.storeId, 'storeId', MAX_DOCUMENT_FIELD_LENGTH) : null;
  checkPurchaseAmount(input.purchaseAmountMinor);
  const purchasedAt = checkInstant(input.purchasedAt, 'purchasedAt');
  const lines = input.lines ? checkBasket(input.lines, input.purchaseAmountMinor) : null;
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot record purchases');
  if (input.currency !== terms.currency) {
    throw badInput(`The partner's contract is in ${terms.currency}; the purchase is in ${input.currency}`);
  }
  const request = {
    partnerId,
    documentNumber,
    storeId,
    purchaseAmountMinor: input.purchaseAmountMinor,
    currency: input.currency,
    purchasedAt: purchasedAt.toISOString(),
    lines,
  };
  const { purchaseId } = await writeIdempotent(
    deps,
    { scope: `recordPurchase:${partnerId}`, key: input.idempotencyKey, request },
    async (manager) => {
      // Checked inside: a retry gets its first answer even once the purchase has aged out of the window.
      checkWithinClaimWindow(deps.config, purchasedAt);
      await refuseEarnedReceipt(manager, partnerId, documentNumber);
      const id = randomUUID();
      const inserted = (await manager.query(
        `INSERT INTO recorded_purchases (id, partner_id, document_number, store_id, purchase_amount_minor, currency, purchased_at, lines, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (partner_id, document_number) DO NOTHING RETURNING id`,
        [
          id,
          partnerId,
          documentNumber,
          storeId,
          input.purchaseAmountMinor,
          input.currency,
          purchasedAt,
          lines ? JSON.stringify(lines) : null,
          callerActor(caller),
        ],
      )) as unknown[];
      if (inserted.length === 0) throw badInput(`Receipt ${documentNumber} was already recorded`);
      await auditOperatorAction(manager, caller, 'recordPurchase', id, { partnerId, documentNumber });
      return { purchaseId: id };
    },
  );
  // After the commit, so that of this recording and a claim racing, the later to commit finds both;
  // again on a retry, which repairs a crash between the commit and the earn.
  await confirmIfMatched(deps, partnerId, documentNumber);
  return recordedPurchase(deps, purchaseId);
}
