import type { EntityManager } from 'typeorm';
import { actingPartner } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { badInput } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { checkText } from '../../shared/validation';
import { pointsForPurchase } from './earning';
import { MAX_PURCHASE_AMOUNT_MINOR, type LedgerDeps } from './ledger';
import { COALITION_ID } from './postings';

/**
 * Receipts with lines. A purchase may list its basket: SKU, category code, quantity, unit price
 * and line amount, in minor units; the lines must add up to the purchase amount exactly. Lines in
 * an excluded category (tobacco, lottery, gift cards: the partner's list, plus the coalition's,
 * which the operator keeps) earn nothing. Points are computed per eligible line, each rounded down
 * to a whole point (a member never gets a point the partner did not pay for; the sum of rounded
 * lines may be below the rounded sum), so each line's points are known, and a returned line takes
 * back exactly the points it earned. A line is returned once.
 */

export const MAX_BASKET_LINES = 200;
export const MAX_LINE_QUANTITY = 10_000;
export const MAX_SKU_LENGTH = 64;
export const MAX_EXCLUDED_CATEGORIES = 100;
/** Category codes: what a till prints, normalised (`TOBACCO`, `GIFT-CARD`). */
const CATEGORY_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

export interface BasketLineInput {
  sku: string;
  categoryCode: string;
  quantity: number;
  unitPriceMinor: number;
  lineAmountMinor: number;
}

export interface PricedLine extends BasketLineInput {
  lineNumber: number;
  excluded: boolean;
  points: number;
}

function checkCategoryCode(value: string, field: string): string {
  const code = value.trim().toUpperCase();
  if (!CATEGORY_PATTERN.test(code)) throw badInput(`${field} must be 1 to 40 letters, digits, dashes or underscores`);
  return code;
}

/** Checks the lines against the purchase amount, before anything is written. */
export function checkBasket(lines: readonly BasketLineInput[], purchaseAmountMinor: number): BasketLineInput[] {
  if (lines.length < 1 || lines.length > MAX_BASKET_LINES) throw badInput(`A basket has 1 to ${MAX_BASKET_LINES} lines`);
  const checked = lines.map((line, i) => {
    const at = `lines[${i}]`;
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      throw badInput(`${at}.quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`);
    }
    for (const [field, value] of [
      ['unitPriceMinor', line.unitPriceMinor],
      ['lineAmountMinor', line.lineAmountMinor],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0 || value > MAX_PURCHASE_AMOUNT_MINOR) {
        throw badInput(`${at}.${field} must be a whole number from 0 to ${MAX_PURCHASE_AMOUNT_MINOR}`);
      }
    }
    // A discount may lower a line below quantity x unit price, nothing may raise it above.
    if (BigInt(line.lineAmountMinor) > BigInt(line.quantity) * BigInt(line.unitPriceMinor)) {
      throw badInput(`${at}.lineAmountMinor is more than quantity x unitPriceMinor`);
    }
    return {
      sku: checkText(line.sku, `${at}.sku`, MAX_SKU_LENGTH),
      categoryCode: checkCategoryCode(line.categoryCode, `${at}.categoryCode`),
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      lineAmountMinor: line.lineAmountMinor,
    };
  });
  const total = checked.reduce((sum, line) => sum + BigInt(line.lineAmountMinor), 0n);
  if (total !== BigInt(purchaseAmountMinor)) {
    throw badInput(`The lines add up to ${total} minor units; the purchase amount is ${purchaseAmountMinor}`);
  }
  return checked;
}

/** The categories that earn nothing at a partner: its own list and the coalition's. */
async function excludedAt(manager: EntityManager, partnerId: string): Promise<Set<string>> {
  const rows = (await manager.query('SELECT category_code FROM excluded_categories WHERE partner_id = ANY($1::uuid[])', [
    [partnerId, COALITION_ID],
  ])) as { category_code: string }[];
  return new Set(rows.map((r) => r.category_code));
}

/** Each line's points at the partner's rate and the member's multiplier; excluded lines earn 0. */
export async function priceBasket(
  manager: EntityManager,
  lines: readonly BasketLineInput[],
  terms: { partnerId: string; earnRateMilliPointsPerUnit: number; currency: string },
  earnMultiplierPermille: number,
): Promise<PricedLine[]> {
  const excluded = await excludedAt(manager, terms.partnerId);
  return lines.map((line, i) => {
    const isExcluded = excluded.has(line.categoryCode);
    const points = isExcluded
      ? 0
      : pointsForPurchase(line.lineAmountMinor, terms.earnRateMilliPointsPerUnit, earnMultiplierPermille, terms.currency);
    return { ...line, lineNumber: i + 1, excluded: isExcluded, points };
  });
}

export async function storeBasket(manager: EntityManager, earnId: string, lines: readonly PricedLine[]): Promise<void> {
  for (const line of lines) {
    await manager.query(
      `INSERT INTO earn_lines (earn_id, line_number, sku, category_code, quantity, unit_price_minor, line_amount_minor, excluded, points)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        earnId,
        line.lineNumber,
        line.sku,
        line.categoryCode,
        line.quantity,
        line.unitPriceMinor,
        line.lineAmountMinor,
        line.excluded,
        line.points,
      ],
    );
  }
}

/**
 * Marks lines of an earn returned (the earn's member is locked) and answers what they were worth
 * and earned. Unknown lines, a line listed twice and a line already returned are refused.
 */
export async function returnLines(
  manager: EntityManager,
  earnId: string,
  lineNumbers: readonly number[],
): Promise<{ amountMinor: number; points: number }> {
  if (lineNumbers.length < 1 || lineNumbers.length > MAX_BASKET_LINES) throw badInput(`Return 1 to ${MAX_BASKET_LINES} lines`);
  if (new Set(lineNumbers).size !== lineNumbers.length) throw badInput('A line is listed twice');
  const rows = (await manager.query(
    `SELECT line_number, line_amount_minor::int AS amount, points::int AS points, returned_at FROM earn_lines
      WHERE earn_id = $1 AND line_number = ANY($2::int[])`,
    [earnId, lineNumbers],
  )) as { line_number: number; amount: number; points: number; returned_at: Date | null }[];
  for (const lineNumber of lineNumbers) {
    const row = rows.find((r) => r.line_number === lineNumber);
    if (!row) throw badInput(`The purchase has no line ${lineNumber}`);
    if (row.returned_at) throw badInput(`Line ${lineNumber} was already returned`);
  }
  await manager.query('UPDATE earn_lines SET returned_at = now() WHERE earn_id = $1 AND line_number = ANY($2::int[])', [
    earnId,
    lineNumbers,
  ]);
  return { amountMinor: rows.reduce((sum, r) => sum + r.amount, 0), points: rows.reduce((sum, r) => sum + r.points, 0) };
}

/** Whether an earn has lines (then its refunds go by line, else by amount). */
export async function hasLines(manager: EntityManager, earnId: string): Promise<boolean> {
  const [row] = (await manager.query('SELECT 1 FROM earn_lines WHERE earn_id = $1 LIMIT 1', [earnId])) as unknown[];
  return row !== undefined;
}

/**
 * Sets the categories that earn nothing: a partner its own list (partnerId omitted or itself), the
 * operator a partner's (partnerId) or the coalition's (partnerId omitted), which applies at every
 * partner. Replaces the whole list; it applies to purchases posted afterwards.
 */
export async function setExcludedCategories(
  deps: LedgerDeps,
  caller: Caller,
  input: { partnerId?: string | null; categoryCodes: readonly string[] },
): Promise<string[]> {
  const owner =
    caller.kind === 'operator' && !input.partnerId ? COALITION_ID : actingPartner(caller, input.partnerId, 'exclude categories');
  if (input.categoryCodes.length > MAX_EXCLUDED_CATEGORIES) throw badInput(`At most ${MAX_EXCLUDED_CATEGORIES} categories`);
  const codes = [...new Set(input.categoryCodes.map((code, i) => checkCategoryCode(code, `categoryCodes[${i}]`)))].sort();
  await deps.dataSource.transaction(async (manager) => {
    await manager.query('DELETE FROM excluded_categories WHERE partner_id = $1', [owner]);
    for (const code of codes)
      await manager.query('INSERT INTO excluded_categories (partner_id, category_code) VALUES ($1, $2)', [owner, code]);
    await auditOperatorAction(manager, caller, 'setExcludedCategories', owner, { categoryCodes: codes });
  });
  return codes;
}
